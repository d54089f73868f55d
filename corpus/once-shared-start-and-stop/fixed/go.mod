module example.com/corpus/once-shared-start-and-stop

go 1.22
