module example.com/corpus/nil-chan-field

go 1.22
