module example.com/corpus/missing-unlock-switch-return

go 1.22
