module example.com/corpus/context-with-timeout-not-cancelled

go 1.22
