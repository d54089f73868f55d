module example.com/corpus/afterfunc-callback-send

go 1.22
