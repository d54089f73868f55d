module example.com/corpus/missing-unlock-early-return

go 1.22
