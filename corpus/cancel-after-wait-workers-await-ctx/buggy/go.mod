module example.com/corpus/cancel-after-wait-workers-await-ctx

go 1.22
