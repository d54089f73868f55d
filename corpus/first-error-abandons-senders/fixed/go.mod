module example.com/corpus/first-error-abandons-senders

go 1.22
