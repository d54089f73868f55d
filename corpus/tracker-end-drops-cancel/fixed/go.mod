module example.com/corpus/tracker-end-drops-cancel

go 1.22
