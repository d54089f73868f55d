module example.com/corpus/embedded-mutex-double-lock

go 1.22
