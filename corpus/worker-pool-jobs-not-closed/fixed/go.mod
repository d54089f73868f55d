module example.com/corpus/worker-pool-jobs-not-closed

go 1.22
