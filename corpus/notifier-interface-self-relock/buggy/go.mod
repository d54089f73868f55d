module example.com/corpus/notifier-interface-self-relock

go 1.22
