module example.com/corpus/submitted-method-value-blocks

go 1.22
