module leakscope.test/many

go 1.21
