module example.com/corpus/upload-complete-off-by-one

go 1.22
