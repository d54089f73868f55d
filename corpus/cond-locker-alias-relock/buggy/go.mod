module example.com/corpus/cond-locker-alias-relock

go 1.22
