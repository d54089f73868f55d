module example.com/corpus/lock-order-across-types

go 1.22
