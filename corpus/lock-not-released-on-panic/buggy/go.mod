module example.com/corpus/lock-not-released-on-panic

go 1.22
