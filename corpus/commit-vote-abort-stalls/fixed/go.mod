module example.com/corpus/commit-vote-abort-stalls

go 1.22
