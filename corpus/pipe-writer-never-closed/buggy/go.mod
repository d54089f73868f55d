module example.com/corpus/pipe-writer-never-closed

go 1.22
