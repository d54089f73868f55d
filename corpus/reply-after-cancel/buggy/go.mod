module example.com/corpus/reply-after-cancel

go 1.22
