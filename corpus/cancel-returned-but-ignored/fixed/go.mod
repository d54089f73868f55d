module example.com/corpus/cancel-returned-but-ignored

go 1.22
