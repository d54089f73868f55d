module example.com/corpus/ready-never-closed-field

go 1.22
