module example.com/corpus/waitgroup-missing-done-error-path

go 1.22
