module example.com/corpus/stored-background-context

go 1.22
