module example.com/corpus/unreceived-done-signal

go 1.22
