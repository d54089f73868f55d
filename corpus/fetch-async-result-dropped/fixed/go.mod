module example.com/corpus/fetch-async-result-dropped

go 1.22
