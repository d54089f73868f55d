module example.com/corpus/generic-queue-producer-returns-early

go 1.22
