module example.com/corpus/fan-in-without-closer

go 1.22
