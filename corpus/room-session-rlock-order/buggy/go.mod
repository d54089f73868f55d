module example.com/corpus/room-session-rlock-order

go 1.22
