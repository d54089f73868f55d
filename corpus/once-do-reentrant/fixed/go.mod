module example.com/corpus/once-do-reentrant

go 1.22
