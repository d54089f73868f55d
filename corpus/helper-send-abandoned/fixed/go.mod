module example.com/corpus/helper-send-abandoned

go 1.22
