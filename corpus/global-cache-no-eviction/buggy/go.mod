module example.com/corpus/global-cache-no-eviction

go 1.22
