module example.com/corpus/cancel-only-on-error-path

go 1.22
