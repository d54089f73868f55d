module example.com/corpus/listeners-slice-grows

go 1.22
