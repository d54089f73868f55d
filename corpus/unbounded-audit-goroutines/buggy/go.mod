module example.com/corpus/unbounded-audit-goroutines

go 1.22
