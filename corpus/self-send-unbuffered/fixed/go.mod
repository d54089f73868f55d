module example.com/corpus/self-send-unbuffered

go 1.22
