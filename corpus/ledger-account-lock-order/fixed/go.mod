module example.com/corpus/ledger-account-lock-order

go 1.22
