module example.com/corpus/cond-signal-without-lock

go 1.22
