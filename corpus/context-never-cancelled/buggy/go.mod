module example.com/corpus/context-never-cancelled

go 1.22
