module example.com/corpus/lock-held-by-leaked-goroutine

go 1.22
