package main

import (
	"fmt"
	"sync"
)

type Crawler struct {
	wg      sync.WaitGroup
	fetched chan string
	stop    chan struct{}
	count   int
}

func NewCrawler() *Crawler {
	return &Crawler{fetched: make(chan string), stop: make(chan struct{})}
}

func (c *Crawler) fetch(url string) {
	defer c.wg.Done()
	c.fetched <- url
}

func (c *Crawler) progress() {
	for {
		select {
		case u := <-c.fetched:
			c.count++
			fmt.Println("fetched", u)
		case <-c.stop:
			return
		}
	}
}

func (c *Crawler) Crawl(rounds [][]string) {
	for i, urls := range rounds {
		if i == 0 {
			go c.progress()
		}
		for _, u := range urls {
			c.wg.Add(1)
			go c.fetch(u)
		}
		c.wg.Wait()
	}
	close(c.stop)
}

func main() {
	for site := 0; site < 3; site++ {
		go func(s int) {
			c := NewCrawler()
			c.Crawl([][]string{
				{fmt.Sprintf("https://site%d.test/", s)},
				{fmt.Sprintf("https://site%d.test/about", s), fmt.Sprintf("https://site%d.test/blog", s)},
			})
			fmt.Println("site", s, "done")
		}(site)
	}
	select {}
}
