package main

import (
	"fmt"
	"path"
	"sync"
)

type KeyedLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func (k *KeyedLocks) Get(key string) *sync.Mutex {
	k.mu.Lock()
	defer k.mu.Unlock()
	l, ok := k.locks[key]
	if !ok {
		l = &sync.Mutex{}
		k.locks[key] = l
	}
	return l
}

type Files struct {
	dirs *KeyedLocks
	mu   sync.Mutex
	data map[string]string
}

func (f *Files) Write(p, content string) {
	l := f.dirs.Get(path.Dir(p))
	l.Lock()
	defer l.Unlock()
	f.mu.Lock()
	f.data[p] = content
	f.mu.Unlock()
}

func (f *Files) read(p string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.data[p]
}

func (f *Files) Copy(src, dst string) {
	l := f.dirs.Get(path.Dir(src))
	l.Lock()
	content := f.read(src)
	l.Unlock()
	f.Write(dst, content)
}

func main() {
	for i := 0; i < 4; i++ {
		f := &Files{dirs: &KeyedLocks{locks: map[string]*sync.Mutex{}}, data: map[string]string{}}
		go func(user int) {
			home := fmt.Sprintf("/users/u%d", user)
			f.Write(home+"/notes.txt", "todo")
			f.Copy(home+"/notes.txt", "/backup/notes.txt")
			f.Copy(home+"/notes.txt", home+"/notes.bak")
			fmt.Println(user, f.read(home+"/notes.bak"))
		}(i)
	}
	select {}
}
