module example.com/corpus/debouncer-timer-drained-twice

go 1.22
