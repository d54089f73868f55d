module example.com/corpus/stop-checked-before-send

go 1.22
