module example.com/corpus/connect-hook-reenters-once

go 1.22
