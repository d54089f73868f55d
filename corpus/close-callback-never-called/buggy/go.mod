module example.com/corpus/close-callback-never-called

go 1.22
