module example.com/corpus/scanner-emit-closure-fail-fast

go 1.22
