module example.com/corpus/main-sends-before-receiver

go 1.22
