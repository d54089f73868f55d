// Fixtures for pool-put-non-pointer where the pool is a field and the values come back
// from goroutines through a release method.
package a

import "sync"

// decoder hands frames to workers; each worker releases its frame when done.
type decoder struct {
	frames sync.Pool
}

func (d *decoder) release(fr []byte) {
	d.frames.Put(fr[:0]) // want `d.frames.Put\(fr\[:0\]\) stores a slice value of type \[\]byte, not a pointer`
}

func (d *decoder) decodeAll(frames [][]byte, handle func([]byte)) {
	var wg sync.WaitGroup
	for _, fr := range frames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(fr)
			d.release(fr)
		}()
	}
	wg.Wait()
}

// ptrDecoder (negative): the pool holds *[]byte, so Put stores a pointer.
type ptrDecoder struct {
	frames sync.Pool
}

func (d *ptrDecoder) release(fr *[]byte) {
	*fr = (*fr)[:0]
	d.frames.Put(fr)
}

func (d *ptrDecoder) decodeAll(frames []*[]byte, handle func([]byte)) {
	var wg sync.WaitGroup
	for _, fr := range frames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(*fr)
			d.release(fr)
		}()
	}
	wg.Wait()
}
