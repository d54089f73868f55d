module example.com/corpus/dispatcher-ignores-cancel

go 1.22
