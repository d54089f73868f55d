module example.com/corpus/job-done-field-abandoned

go 1.22
