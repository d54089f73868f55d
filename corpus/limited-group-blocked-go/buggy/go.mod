module example.com/corpus/limited-group-blocked-go

go 1.22
