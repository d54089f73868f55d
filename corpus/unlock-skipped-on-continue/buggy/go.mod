module example.com/corpus/unlock-skipped-on-continue

go 1.22
