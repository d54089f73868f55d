module example.com/corpus/watcher-close-never-called

go 1.22
