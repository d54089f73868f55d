module example.com/corpus/import-parser-quits-reader-stuck

go 1.22
