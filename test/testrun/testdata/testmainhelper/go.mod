module example.com/testmainhelper

go 1.22
