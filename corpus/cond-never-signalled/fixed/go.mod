module example.com/corpus/cond-never-signalled

go 1.22
