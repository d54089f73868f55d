module example.com/corpus/dir-lock-copy-same-directory

go 1.22
