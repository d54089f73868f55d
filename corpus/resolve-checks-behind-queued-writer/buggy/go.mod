module example.com/corpus/resolve-checks-behind-queued-writer

go 1.22
