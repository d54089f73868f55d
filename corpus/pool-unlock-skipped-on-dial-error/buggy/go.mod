module example.com/corpus/pool-unlock-skipped-on-dial-error

go 1.22
