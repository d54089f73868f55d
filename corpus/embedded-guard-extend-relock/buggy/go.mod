module example.com/corpus/embedded-guard-extend-relock

go 1.22
