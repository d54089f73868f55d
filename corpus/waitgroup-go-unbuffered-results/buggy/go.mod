module example.com/corpus/waitgroup-go-unbuffered-results

go 1.25
