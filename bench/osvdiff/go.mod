module mamori-bench-osvdiff

go 1.26.0
