module example.com/corpus/semaphore-not-released-on-error

go 1.22
