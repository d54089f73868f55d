module example.com/corpus/reserve-audits-under-lock

go 1.22
