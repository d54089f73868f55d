module example.com/corpus/queue-close-without-broadcast

go 1.22
