module example.com/corpus/defer-cancel-in-server-loop

go 1.22
