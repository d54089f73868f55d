module example.com/corpus/collector-waits-one-too-many

go 1.22
