// Fixtures for pool-unbounded-object where the pool is a field of a struct and the
// buffers are taken and returned by goroutines that a method starts, one per record.
package a

import (
	"bytes"
	"encoding/json"
	"sync"
)

type exporter struct {
	frames sync.Pool
	sink   chan []byte
}

// exportAll: a record of any size grows the buffer, and the grown buffer goes back.
func (e *exporter) exportAll(records []map[string]any) {
	var wg sync.WaitGroup
	for _, rec := range records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := e.frames.Get().(*bytes.Buffer)
			b.Reset()
			if err := json.NewEncoder(b).Encode(rec); err == nil {
				e.sink <- bytes.Clone(b.Bytes())
			}
			e.frames.Put(b) // want `e.frames.Put at line \d+ returns buffer "b" to the pool whatever its capacity`
		}()
	}
	wg.Wait()
}

// cappedExporter (negative): a buffer that grew past 64 KiB is dropped, not pooled.
type cappedExporter struct {
	frames sync.Pool
	sink   chan []byte
}

func (e *cappedExporter) exportAll(records []map[string]any) {
	var wg sync.WaitGroup
	for _, rec := range records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := e.frames.Get().(*bytes.Buffer)
			b.Reset()
			if err := json.NewEncoder(b).Encode(rec); err == nil {
				e.sink <- bytes.Clone(b.Bytes())
			}
			if b.Cap() <= 64<<10 {
				e.frames.Put(b)
			}
		}()
	}
	wg.Wait()
}
