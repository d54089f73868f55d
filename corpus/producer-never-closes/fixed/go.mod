module example.com/corpus/producer-never-closes

go 1.22
