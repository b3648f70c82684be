package main

import (
	"slices"
	"testing"
)

// TestSoftwareOf: a match names every affected package of its owner,
// joined by ", "; each must become its own (name, version) pair, or the
// comparison invents rows found "only by mamori" and "missed by both".
func TestSoftwareOf(t *testing.T) {
	got := softwareOf([]string{
		"github.com/jackc/pgx v3.3.0+incompatible, github.com/jackc/pgx/v4 v4.17.0",
		"github.com/hashicorp/vault (devel)",
		"golang.org/x/net v0.0.0-20220722155237-a158d28d115b",
	})
	want := [][2]string{
		{"github.com/jackc/pgx", "v3.3.0+incompatible"},
		{"github.com/jackc/pgx/v4", "v4.17.0"},
		{"github.com/hashicorp/vault", "(devel)"},
		{"golang.org/x/net", "v0.0.0-20220722155237-a158d28d115b"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("softwareOf = %q, want %q", got, want)
	}
}
