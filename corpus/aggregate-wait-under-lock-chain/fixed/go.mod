module example.com/corpus/aggregate-wait-under-lock-chain

go 1.22
