module example.com/corpus/merge-loops-after-inputs-closed

go 1.22
