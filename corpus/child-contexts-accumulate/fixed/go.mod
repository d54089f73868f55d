module example.com/corpus/child-contexts-accumulate

go 1.22
