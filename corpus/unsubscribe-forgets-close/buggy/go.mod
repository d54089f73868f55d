module example.com/corpus/unsubscribe-forgets-close

go 1.22
