module example.com/corpus/peers-both-send-hello-first

go 1.22
