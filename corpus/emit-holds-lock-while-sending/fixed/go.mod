module example.com/corpus/emit-holds-lock-while-sending

go 1.22
