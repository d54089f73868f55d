module example.com/corpus/ready-never-sent-after-failed-start

go 1.22
