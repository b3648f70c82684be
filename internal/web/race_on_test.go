//go:build race

package web_test

// raceEnabled: the race detector is on. Tests that send thousands of
// sequential requests to check authorization, not concurrency, skip then;
// they run in the suite's normal pass on both stores.
const raceEnabled = true
