module example.com/corpus/callback-locks-under-rlock

go 1.22
