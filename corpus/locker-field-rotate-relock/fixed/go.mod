module example.com/corpus/locker-field-rotate-relock

go 1.22
