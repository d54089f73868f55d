module example.com/stackdep

go 1.22
