module example.com/corpus/fmt-stringer-locks-account

go 1.22
