module example.com/corpus/lazy-done-channel-not-stored

go 1.22
