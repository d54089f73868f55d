module example.com/corpus/gate-key-normalisation-nil-chan

go 1.22
