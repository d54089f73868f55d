module example.com/corpus/client-close-forgets-cancel

go 1.22
