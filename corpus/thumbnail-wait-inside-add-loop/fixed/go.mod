module example.com/corpus/thumbnail-wait-inside-add-loop

go 1.22
