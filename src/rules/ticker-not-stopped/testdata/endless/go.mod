module example.com/endless

go 1.24
