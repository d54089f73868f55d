module example.com/corpus/lookup-async-dropped-on-invalid

go 1.22
