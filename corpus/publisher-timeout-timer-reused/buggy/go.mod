module example.com/corpus/publisher-timeout-timer-reused

go 1.22
