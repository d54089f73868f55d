module example.com/corpus/concurrent-map-write-handlers

go 1.22
