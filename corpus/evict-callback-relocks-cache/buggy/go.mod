module example.com/corpus/evict-callback-relocks-cache

go 1.22
