module example.com/corpus/select-several-cases-no-stop

go 1.22
