module example.com/corpus/notify-dropped-before-wait

go 1.22
