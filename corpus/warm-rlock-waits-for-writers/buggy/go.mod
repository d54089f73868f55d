module example.com/corpus/warm-rlock-waits-for-writers

go 1.22
