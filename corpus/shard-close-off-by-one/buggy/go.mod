module example.com/corpus/shard-close-off-by-one

go 1.22
