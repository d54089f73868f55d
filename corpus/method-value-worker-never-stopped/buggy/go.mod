module example.com/corpus/method-value-worker-never-stopped

go 1.22
