module example.com/corpus/lock-order-two-methods

go 1.22
