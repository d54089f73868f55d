module example.com/corpus/search-returns-on-first-match

go 1.22
