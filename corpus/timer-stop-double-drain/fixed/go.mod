module example.com/corpus/timer-stop-double-drain

go 1.22
