module example.com/corpus/ticker-field-stopped-loop-waits

go 1.22
