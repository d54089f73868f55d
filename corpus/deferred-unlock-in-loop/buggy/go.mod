module example.com/corpus/deferred-unlock-in-loop

go 1.22
