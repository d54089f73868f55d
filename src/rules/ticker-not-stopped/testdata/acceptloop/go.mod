module example.com/acceptloop

go 1.24
