module example.com/corpus/transfer-lock-order-rare

go 1.22
