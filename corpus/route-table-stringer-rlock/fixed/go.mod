module example.com/corpus/route-table-stringer-rlock

go 1.22
