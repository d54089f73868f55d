module example.com/corpus/poller-restart-overwrites-cancel

go 1.22
