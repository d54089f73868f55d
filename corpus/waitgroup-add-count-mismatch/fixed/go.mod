module example.com/corpus/waitgroup-add-count-mismatch

go 1.22
