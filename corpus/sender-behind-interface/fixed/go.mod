module example.com/corpus/sender-behind-interface

go 1.22
