module example.com/corpus/crawler-progress-in-round-waitgroup

go 1.22
