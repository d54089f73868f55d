module example.com/corpus/ready-waits-for-start-cycle

go 1.22
