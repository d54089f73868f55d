module example.com/corpus/broadcaster-dead-subscriber

go 1.22
