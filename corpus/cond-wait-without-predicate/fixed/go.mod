module example.com/corpus/cond-wait-without-predicate

go 1.22
