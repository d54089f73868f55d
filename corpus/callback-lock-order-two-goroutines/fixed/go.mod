module example.com/corpus/callback-lock-order-two-goroutines

go 1.22
