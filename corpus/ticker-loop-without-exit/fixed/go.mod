module example.com/corpus/ticker-loop-without-exit

go 1.22
