module example.com/corpus/bounded-buffer-signals-wrong-cond

go 1.22
