module example.com/corpus/reply-channel-of-channels

go 1.22
