module example.com/corpus/errgroup-like-consumer-returns

go 1.22
