module example.com/corpus/handler-ignores-request-context

go 1.22
