module example.com/corpus/error-method-locks-pool

go 1.22
