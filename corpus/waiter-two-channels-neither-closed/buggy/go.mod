module example.com/corpus/waiter-two-channels-neither-closed

go 1.22
