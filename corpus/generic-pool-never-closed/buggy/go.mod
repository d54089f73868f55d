module example.com/corpus/generic-pool-never-closed

go 1.22
