module example.com/corpus/hub-broadcast-vs-leaving-subscriber

go 1.22
