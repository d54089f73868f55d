module example.com/corpus/generic-future-never-awaited

go 1.22
