module example.com/corpus/plugin-loader-once-reentry

go 1.22
