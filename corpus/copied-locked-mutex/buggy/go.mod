module example.com/corpus/copied-locked-mutex

go 1.22
