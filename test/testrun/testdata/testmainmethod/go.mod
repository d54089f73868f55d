module example.com/testmainmethod

go 1.22
