module example.com/corpus/slice-append-race

go 1.22
