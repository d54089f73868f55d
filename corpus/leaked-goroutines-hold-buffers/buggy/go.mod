module example.com/corpus/leaked-goroutines-hold-buffers

go 1.22
