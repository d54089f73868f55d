module example.com/corpus/first-replica-wins

go 1.22
