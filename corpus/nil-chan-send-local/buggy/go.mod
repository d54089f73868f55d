module example.com/corpus/nil-chan-send-local

go 1.22
