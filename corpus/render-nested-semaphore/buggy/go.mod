module example.com/corpus/render-nested-semaphore

go 1.22
