module example.com/corpus/double-lock-via-method

go 1.22
