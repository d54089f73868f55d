module leakscope.test/deadlocks

go 1.22
