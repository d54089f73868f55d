module example.com/corpus/reply-after-client-timeout

go 1.22
