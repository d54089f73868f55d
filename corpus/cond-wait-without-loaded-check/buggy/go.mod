module example.com/corpus/cond-wait-without-loaded-check

go 1.22
