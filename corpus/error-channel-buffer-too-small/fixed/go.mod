module example.com/corpus/error-channel-buffer-too-small

go 1.22
