module example.com/corpus/leaderboard-sort-less-locks

go 1.22
