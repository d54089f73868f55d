module leakscope.test/pools

go 1.22
