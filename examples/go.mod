module example.com/leakscope-examples

go 1.22
