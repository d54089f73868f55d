module example.com/corpus/waitgroup-passed-by-value

go 1.22
