module example.com/corpus/subscriber-map-grows

go 1.22
