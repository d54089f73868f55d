module example.com/corpus/stop-after-tailer-gave-up

go 1.22
