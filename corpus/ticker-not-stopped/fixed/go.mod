module example.com/corpus/ticker-not-stopped

go 1.22
