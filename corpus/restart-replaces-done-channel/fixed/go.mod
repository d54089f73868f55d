module example.com/corpus/restart-replaces-done-channel

go 1.22
