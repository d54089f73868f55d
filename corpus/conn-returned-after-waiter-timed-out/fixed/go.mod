module example.com/corpus/conn-returned-after-waiter-timed-out

go 1.22
