module example.com/corpus/stop-while-producer-blocked-on-output

go 1.22
