module example.com/corpus/price-rlock-held-awaiting-refresh

go 1.22
