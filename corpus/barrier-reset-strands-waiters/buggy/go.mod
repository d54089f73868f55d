module example.com/corpus/barrier-reset-strands-waiters

go 1.22
