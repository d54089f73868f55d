module example.com/corpus/time-tick-per-session

go 1.22
