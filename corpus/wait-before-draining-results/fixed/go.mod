module example.com/corpus/wait-before-draining-results

go 1.22
