module example.com/corpus/time-after-in-hot-loop

go 1.22
