module example.com/corpus/waitgroup-add-inside-goroutine

go 1.22
