module example.com/corpus/rpc-call-holds-lock-awaiting-reply

go 1.22
