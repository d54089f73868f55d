module example.com/corpus/heartbeat-stop-closure-unused

go 1.22
