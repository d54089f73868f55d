module example.com/corpus/sampler-stops-at-quota

go 1.22
