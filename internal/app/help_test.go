package app_test

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestHelpListsSubcommands: the --help of every command with subcommands
// names each of them at the start of a line, and demo's --help names the
// database demo uses by default, not serve's.
func TestHelpListsSubcommands(t *testing.T) {
	for _, tc := range []struct {
		cmd  string
		subs []string
	}{
		{"report", []string{"audit", "oscal"}},
		{"catalog", []string{"list", "show", "import", "export", "set", "unset"}},
		{"vuln", []string{"import", "sync", "match", "report", "countermeasure", "status"}},
		{"user", []string{"add", "list", "passwd", "disable", "enable", "unlock", "reset-2fa", "grant", "token", "revoke-token"}},
		{"org", []string{"set-parent"}},
		{"audit", []string{"verify", "list", "rotate-key"}},
		{"notify", []string{"test", "list"}},
		{"workflow", []string{"list", "show", "create", "act", "comment", "attach"}},
		{"inspection", []string{"list", "show", "open", "answer"}},
		{"project", []string{"list", "show"}},
		{"incident", []string{"list", "show", "create", "act"}},
		{"training", []string{"list", "show"}},
		{"cloudlist", []string{"import", "show"}},
		{"forum", []string{"list", "show", "post", "search"}},
	} {
		r := run(t, nil, tc.cmd, "--help")
		if r.code != 0 {
			t.Errorf("mamori %s --help = exit %d, want 0\n%s", tc.cmd, r.code, r.stderr)
		}
		for _, sub := range tc.subs {
			if !regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(sub) + `(\s|$)`).MatchString(r.stderr) {
				t.Errorf("mamori %s --help does not list %q:\n%s", tc.cmd, sub, r.stderr)
			}
		}
	}
	// A report's own --help is still its flags.
	for _, name := range []string{"audit", "oscal"} {
		if r := run(t, nil, "report", name, "--help"); r.code != 0 || !strings.Contains(r.stderr, "Usage: mamori report "+name) {
			t.Errorf("mamori report %s --help = exit %d\n%s", name, r.code, r.stderr)
		}
	}
	if r := run(t, nil, "report"); r.code != 2 || !strings.Contains(r.stderr, "oscal") {
		t.Errorf("mamori report = exit %d, want 2 listing the reports\n%s", r.code, r.stderr)
	}
	r := run(t, nil, "demo", "--help")
	if !strings.Contains(r.stderr, "default mamori-demo.db") || strings.Contains(r.stderr, "default mamori.db") {
		t.Errorf("mamori demo --help does not name mamori-demo.db as the default database:\n%s", r.stderr)
	}
}

// TestBusyPort: serve and demo on an address already in use fail with a
// message in Japanese and English that names the address and --addr; demo
// says so before generating anything.
func TestBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"serve", "--db", filepath.Join(dir, "serve.db"), "--addr", addr},
		{"demo", "--scale", "small", "--db", filepath.Join(dir, "demo.db"), "--addr", addr},
	} {
		r := run(t, nil, args...)
		if r.code != 1 {
			t.Errorf("mamori %s on a busy port = exit %d, want 1", args[0], r.code)
		}
		for _, want := range []string{addr + " は使用中です", "--addr で別のアドレスを指定してください", addr + " is already in use", "choose another address with --addr"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("mamori %s on a busy port: no %q in %q", args[0], want, r.stderr)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "demo.db")); err == nil {
		t.Errorf("demo on a busy port created its database before saying the port is taken")
	}
}
