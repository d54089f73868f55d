module example.com/corpus/shutdown-waits-holding-lock

go 1.22
