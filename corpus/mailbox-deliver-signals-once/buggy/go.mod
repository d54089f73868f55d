module example.com/corpus/mailbox-deliver-signals-once

go 1.22
