module example.com/corpus/timeout-abandons-result

go 1.22
