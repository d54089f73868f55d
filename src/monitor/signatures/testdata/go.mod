// Small programs that reproduce each known leak of catalog.yaml. The module says go 1.22 on
// purpose: time-after-in-loop-pre-go123 needs the pre-1.23 timer semantics.
module example.com/leakscope-signatures

go 1.22
