module example.com/corpus/transfer-lock-order

go 1.22
