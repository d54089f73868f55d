module example.com/corpus/send-while-holding-lock

go 1.22
