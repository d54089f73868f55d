// Fixtures for lost-cancel in a library: constructors that start several workers on a
// context whose cancel function they keep in a field. When no code calls that cancel
// function, Close (or nothing) stops the workers; when an exported method calls it, the
// package's users can.
package library

import (
	"context"
	"fmt"
)

// Stream fans input out to several workers; Close forgets to cancel them.
type Stream struct {
	cancel context.CancelFunc
	in     chan int
}

func Open(workers int) *Stream {
	ctx, cancel := context.WithCancel(context.Background()) // want "kept in Stream.cancel and nothing ever calls it; Stream.work started at line \\d+ runs until this context is done"
	s := &Stream{cancel: cancel, in: make(chan int)}
	for i := 0; i < workers; i++ {
		go s.work(ctx, i)
	}
	return s
}

func (s *Stream) work(ctx context.Context, id int) {
	for {
		select {
		case v := <-s.in:
			fmt.Println(id, v)
		case <-ctx.Done():
			return
		}
	}
}

func (s *Stream) Close() error {
	close(s.in)
	return nil
}

// ClosingStream (negative): Close cancels; users of the package can call it.
type ClosingStream struct {
	cancel context.CancelFunc
	in     chan int
}

func OpenClosing(workers int) *ClosingStream {
	ctx, cancel := context.WithCancel(context.Background())
	s := &ClosingStream{cancel: cancel, in: make(chan int)}
	for i := 0; i < workers; i++ {
		go s.work(ctx, i)
	}
	return s
}

func (s *ClosingStream) work(ctx context.Context, id int) {
	for {
		select {
		case v := <-s.in:
			fmt.Println(id, v)
		case <-ctx.Done():
			return
		}
	}
}

func (s *ClosingStream) Close() error {
	s.cancel()
	return nil
}

// Group keeps both the context and its cancel function in fields, set in one
// assignment, and its loops wait on the field.
type Group struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewGroup(n int) *Group {
	g := &Group{}
	g.ctx, g.cancel = context.WithCancel(context.Background()) // want "kept in Group.cancel and nothing ever calls it; Group.loop started at line \\d+"
	for i := 0; i < n; i++ {
		go g.loop()
	}
	return g
}

func (g *Group) loop() { <-g.ctx.Done() }

// StoppableGroup (negative): Stop cancels.
type StoppableGroup struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func NewStoppableGroup(n int) *StoppableGroup {
	g := &StoppableGroup{}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	for i := 0; i < n; i++ {
		go g.loop()
	}
	return g
}

func (g *StoppableGroup) loop() { <-g.ctx.Done() }

func (g *StoppableGroup) Stop() { g.cancel() }
