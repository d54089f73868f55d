module example.com/corpus/job-notify-dropped-by-default

go 1.22
