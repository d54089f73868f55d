module example.com/corpus/stream-selects-parent-context

go 1.22
