module example.com/corpus/async-logger-flusher-quits

go 1.22
