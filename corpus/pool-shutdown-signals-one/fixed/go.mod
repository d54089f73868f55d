module example.com/corpus/pool-shutdown-signals-one

go 1.22
