module example.com/corpus/inflight-load-error-keeps-entry

go 1.22
