module example.com/corpus/counter-increment-race

go 1.22
