module example.com/corpus/janitor-without-quit

go 1.22
