module example.com/corpus/rlock-upgrade-to-lock

go 1.22
