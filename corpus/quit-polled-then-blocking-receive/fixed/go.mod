module example.com/corpus/quit-polled-then-blocking-receive

go 1.22
