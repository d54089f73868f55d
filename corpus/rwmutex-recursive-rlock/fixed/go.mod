module example.com/corpus/rwmutex-recursive-rlock

go 1.22
