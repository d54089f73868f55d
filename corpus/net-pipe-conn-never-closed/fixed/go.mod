module example.com/corpus/net-pipe-conn-never-closed

go 1.22
