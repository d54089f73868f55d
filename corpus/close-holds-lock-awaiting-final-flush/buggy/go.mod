module example.com/corpus/close-holds-lock-awaiting-final-flush

go 1.22
