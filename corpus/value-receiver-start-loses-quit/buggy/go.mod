module example.com/corpus/value-receiver-start-loses-quit

go 1.22
