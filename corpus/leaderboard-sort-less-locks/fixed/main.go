package main

import (
	"fmt"
	"sort"
	"sync"
)

type Leaderboard struct {
	mu      sync.Mutex
	players []string
	scores  map[string]int
}

func (l *Leaderboard) Add(player string, points int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.scores[player]; !ok {
		l.players = append(l.players, player)
	}
	l.scores[player] += points
}

func (l *Leaderboard) Score(player string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.scores[player]
}

func (l *Leaderboard) Top(n int) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	sort.Slice(l.players, func(i, j int) bool {
		return l.scores[l.players[i]] > l.scores[l.players[j]]
	})
	if n > len(l.players) {
		n = len(l.players)
	}
	return append([]string(nil), l.players[:n]...)
}

func main() {
	for g := 0; g < 4; g++ {
		l := &Leaderboard{scores: map[string]int{}}
		go func(game int) {
			l.Add("ana", 10+game)
			l.Add("bo", 30)
			l.Add("cy", 20)
			fmt.Println("game", game, l.Top(2))
		}(g)
	}
	select {}
}
