package store

// SplitViews makes LoadView read every whole view in parts key ranges
// however small, and returns the function that restores the defaults.
func SplitViews(parts int) func() {
	m, p := splitMin, splitParts
	splitMin, splitParts = 0, parts
	return func() { splitMin, splitParts = m, p }
}
