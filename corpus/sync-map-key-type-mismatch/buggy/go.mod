module example.com/corpus/sync-map-key-type-mismatch

go 1.22
