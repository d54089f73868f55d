module example.com/corpus/once-init-awaits-reader-that-reenters

go 1.22
