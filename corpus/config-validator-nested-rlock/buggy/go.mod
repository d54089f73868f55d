module example.com/corpus/config-validator-nested-rlock

go 1.22
