module example.com/corpus/loop-variable-captured-go121

go 1.21
