module example.com/corpus/waitgroup-wait-inside-worker

go 1.22
