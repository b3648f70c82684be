package app_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori"
	"mamori/internal/app"
	"mamori/internal/catalog"
)

// TestReadmeExamples runs the README's examples as written, in order, as one
// shell session in a fresh directory, so that the commands a new user copies
// work on the demo they follow.
//
// Every ```sh block (or bash, shell, console) is run unless the line before
// it is an HTML comment "<!-- not run: REASON -->" (serving until
// interrupted, an identity provider, the network, the whole test suite…).
// In a block that is run, every line must be one the test understands, so
// an example cannot be skipped silently:
//
//   - mamori ARGS, or go run ./cmd/mamori ARGS, run in-process by app.Run;
//   - NAME=VALUE and export NAME=VALUE (session variables, which the commands
//     see as their environment), and NAME=VALUE before a command;
//   - printf FORMAT ARGS… | mamori …, mamori … | tail -1, $(…), > FILE;
//   - curl [-H HEADER]… URL against the API: the URL's host is replaced by a
//     `mamori serve` of the session's database (MAMORI_DB, else mamori.db),
//     started in-process on a free port, and the answer must be 200.
//
// Single and double quotes, $NAME and # comments are read as the shell reads
// them. A line holding a placeholder ("…") fails: make it concrete or mark
// the block. Paths under internal/ and testdata/ are the repository's own
// files (the directory links to them); everything else a command writes
// stays in the directory.
func TestReadmeExamples(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(string(readme))
	dir := t.TempDir()
	for _, name := range []string{"internal", "testdata"} {
		if err := os.Symlink(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	sh := &shell{t: t, vars: map[string]string{}}
	defer sh.stopServer()
	ran := 0
	for _, b := range blocks {
		if b.skip != "" {
			t.Logf("README.md:%d: not run: %s", b.line, b.skip)
			continue
		}
		for _, l := range b.lines {
			if err := sh.runLine(l.text); err != nil {
				t.Fatalf("README.md:%d: %s\n%v", l.n, l.text, err)
			}
			ran++
		}
	}
	if ran == 0 {
		t.Fatal("no README example was run")
	}
	t.Logf("ran %d README lines", ran)
}

// TestReadmeCounts keeps the README's counts of entities and controls equal
// to the code's.
func TestReadmeCounts(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ") // sentences wrap
	count := func(re string) int {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("README: no match for %s", re)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if got, want := count(`The register has (\d+) entities`), len(mamori.Entities); got != want {
		t.Errorf("README: the register has %d entities, want %d (len(mamori.Entities))", got, want)
	}
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	automated := map[string]int{}
	all := 0
	for _, c := range cats {
		n, _ := c.Counts()
		automated[c.ID] = n
		all += n
	}
	if got, want := count(`\(.unified.: [^)]*; (\d+) controls\)`), automated["unified"]; got != want {
		t.Errorf("README: unified has %d controls, want %d", got, want)
	}
	if got, want := count(`\(.lg.: LG-01…LG-(\d+)\)`), automated["lg"]; got != want {
		t.Errorf("README: lg has %d controls (LG-01…LG-%d), want %d", got, got, want)
	}
	if got := count(`(\d+) automated controls in all`); got != all {
		t.Errorf("README: %d automated controls in all, want %d", got, all)
	}
}

type readmeLine struct {
	n    int // 1-based line number in README.md
	text string
}

type readmeBlock struct {
	line  int    // the opening fence
	skip  string // the reason it is not run, if marked so
	lines []readmeLine
}

var notRun = regexp.MustCompile(`^<!--\s*not run:\s*(.*?)\s*-->$`)

// readmeBlocks returns the shell blocks of a README, their command lines with
// continuations joined and blank and comment lines left out.
func readmeBlocks(readme string) []readmeBlock {
	var blocks []readmeBlock
	var cur *readmeBlock
	prev := ""
	lines := strings.Split(readme, "\n")
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		switch {
		case cur == nil && (l == "```sh" || l == "```bash" || l == "```shell" || l == "```console"):
			b := readmeBlock{line: i + 1}
			if m := notRun.FindStringSubmatch(prev); m != nil {
				b.skip = m[1]
				if b.skip == "" {
					b.skip = "(no reason given)"
				}
			}
			blocks = append(blocks, b)
			cur = &blocks[len(blocks)-1]
		case cur != nil && strings.HasPrefix(l, "```"):
			cur = nil
		case cur != nil:
			n := i + 1
			for strings.HasSuffix(l, `\`) && i+1 < len(lines) {
				i++
				l = strings.TrimSuffix(l, `\`) + " " + strings.TrimSpace(lines[i])
			}
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
				cur.lines = append(cur.lines, readmeLine{n, t})
			}
		}
		if l != "" {
			prev = strings.TrimSpace(l)
		}
	}
	return blocks
}

// shell is the little of a POSIX shell the README's examples use.
type shell struct {
	t      *testing.T
	vars   map[string]string
	server *server
}

type server struct {
	dsn    string
	base   string
	cancel context.CancelFunc
	done   chan error
	stderr *bytes.Buffer
}

// word is a lexed shell word, or an operator (| or >).
type word struct {
	s  string
	op bool
}

func (sh *shell) runLine(line string) error {
	words, err := sh.lex(line)
	if err != nil {
		return err
	}
	for _, w := range words {
		if strings.Contains(w.s, "…") || strings.Contains(w.s, "...") {
			return fmt.Errorf("a placeholder (%s): make the example concrete, or mark its block <!-- not run: REASON -->", w.s)
		}
	}
	// Split into a pipeline and its redirect.
	var stages [][]string
	var out string
	cur := []string{}
	for i := 0; i < len(words); i++ {
		w := words[i]
		switch {
		case w.op && w.s == "|":
			stages, cur = append(stages, cur), []string{}
		case w.op && w.s == ">":
			if i+1 >= len(words) || words[i+1].op || i+2 != len(words) {
				return errors.New("> must end the line with one file")
			}
			out = words[i+1].s
			i++
		default:
			cur = append(cur, w.s)
		}
	}
	stages = append(stages, cur)
	var stdin []byte
	var stdout []byte
	for _, st := range stages {
		stdout, err = sh.runStage(st, stdin)
		if err != nil {
			return err
		}
		stdin = stdout
	}
	if out != "" {
		return os.WriteFile(out, stdout, 0o644)
	}
	return nil
}

// commandTimeout bounds one README command; the small demo's commands take
// well under a second each.
const commandTimeout = time.Minute

var assignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// runStage runs one command of a pipeline with stdin as its input and
// returns its output.
func (sh *shell) runStage(args []string, stdin []byte) ([]byte, error) {
	if len(args) > 0 && args[0] == "export" {
		args = args[1:]
		for _, a := range args {
			if !assignment.MatchString(a) {
				return nil, fmt.Errorf("export %s: want NAME=VALUE", a)
			}
		}
	}
	env := map[string]string{}
	for len(args) > 0 && assignment.MatchString(args[0]) {
		name, value, _ := strings.Cut(args[0], "=")
		env[name] = value
		args = args[1:]
	}
	if len(args) == 0 {
		for k, v := range env {
			sh.vars[k] = v
		}
		return nil, nil
	}
	switch {
	case args[0] == "mamori":
		return sh.mamori(args[1:], env, stdin)
	case len(args) >= 3 && args[0] == "go" && args[1] == "run" && args[2] == "./cmd/mamori":
		return sh.mamori(args[3:], env, stdin)
	case args[0] == "printf" && len(args) >= 2:
		return []byte(printf(args[1], args[2:])), nil
	case args[0] == "tail" && len(args) == 2 && (args[1] == "-1" || args[1] == "-n1"):
		lines := strings.Split(strings.TrimRight(string(stdin), "\n"), "\n")
		return []byte(lines[len(lines)-1] + "\n"), nil
	case args[0] == "curl":
		return sh.curl(args[1:])
	}
	return nil, fmt.Errorf("%q is not a command the README test runs: use mamori, or mark the block <!-- not run: REASON -->", args[0])
}

// getenv is the environment a command sees: the session's variables and
// the command's own, and nothing of the test process's MAMORI_ variables.
func (sh *shell) getenv(env map[string]string) func(string) string {
	return func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if v, ok := sh.vars[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "MAMORI_") {
			return ""
		}
		return os.Getenv(k)
	}
}

func (sh *shell) mamori(args []string, env map[string]string, stdin []byte) ([]byte, error) {
	sh.stopServer() // a command never runs beside the API's server
	// A command that serves (demo without --no-serve, serve) would never
	// return: stop it as soon as it says it serves, and say so.
	served, stop := context.WithCancelCause(sh.t.Context())
	defer stop(nil)
	ctx, cancel := context.WithTimeoutCause(served, commandTimeout,
		fmt.Errorf("still running after %s", commandTimeout))
	defer cancel()
	var errb bytes.Buffer
	out := &servingWatch{stop: stop}
	e := &app.Env{Stdin: bytes.NewReader(stdin), Stdout: out, Stderr: &errb, Getenv: sh.getenv(env)}
	err := app.Run(ctx, e, args)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("%w: mark its block <!-- not run: REASON -->", context.Cause(ctx))
	}
	if err != nil {
		return nil, fmt.Errorf("exit %d: %s\n%s", app.ExitCode(err), app.Describe(err), errb.String())
	}
	return out.Bytes(), nil
}

// servingWatch keeps a command's output and stops the command when it
// starts serving.
type servingWatch struct {
	bytes.Buffer
	stop context.CancelCauseFunc
}

var errServes = errors.New("the command serves until interrupted")

func (w *servingWatch) Write(p []byte) (int, error) {
	n, err := w.Buffer.Write(p)
	if serving.Match(w.Bytes()) {
		w.stop(errServes)
	}
	return n, err
}

// curl answers a curl line of the REST API section from a mamori serve of
// the session's database.
func (sh *shell) curl(args []string) ([]byte, error) {
	req, err := http.NewRequestWithContext(sh.t.Context(), http.MethodGet, "", nil)
	if err != nil {
		return nil, err
	}
	var url string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "-H" && i+1 < len(args):
			k, v, ok := strings.Cut(args[i+1], ":")
			if !ok {
				return nil, fmt.Errorf("curl -H %q: want NAME: VALUE", args[i+1])
			}
			req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
			i++
		case strings.HasPrefix(args[i], "http://") && url == "":
			url = args[i]
		default:
			return nil, fmt.Errorf("curl %s: the test reads only -H and one http:// URL", args[i])
		}
	}
	_, rest, ok := strings.Cut(strings.TrimPrefix(url, "http://"), "/")
	if !ok {
		return nil, fmt.Errorf("curl %s: no path", url)
	}
	base, err := sh.startServer()
	if err != nil {
		return nil, err
	}
	req.URL, err = req.URL.Parse(base + "/" + rest)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s\n%s", req.URL, res.Status, body)
	}
	return body, nil
}

var serving = regexp.MustCompile(`serving (http://[^/ ]+)/`)

// startServer starts (or reuses) mamori serve on a free port for the
// session's database and returns its base URL.
func (sh *shell) startServer() (string, error) {
	dsn := sh.getenv(nil)(app.EnvDB)
	if sh.server != nil && sh.server.dsn == dsn {
		return sh.server.base, nil
	}
	sh.stopServer()
	ctx, cancel := context.WithCancel(sh.t.Context())
	pr, pw := io.Pipe()
	srv := &server{dsn: dsn, cancel: cancel, done: make(chan error, 1), stderr: new(bytes.Buffer)}
	e := &app.Env{Stdin: strings.NewReader(""), Stdout: pw, Stderr: lockedWriter(srv.stderr), Getenv: sh.getenv(nil)}
	go func() {
		err := app.Run(ctx, e, []string{"serve", "--addr", "127.0.0.1:0"})
		pw.CloseWithError(errors.Join(err, io.EOF))
		srv.done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain whatever else serve prints
	m := serving.FindStringSubmatch(line)
	if m == nil {
		cancel()
		return "", fmt.Errorf("mamori serve did not start: %q %v\n%s", line, err, <-srv.done)
	}
	srv.base = m[1]
	sh.server = srv
	return srv.base, nil
}

func (sh *shell) stopServer() {
	if sh.server == nil {
		return
	}
	sh.server.cancel()
	select {
	case err := <-sh.server.done:
		if err != nil {
			sh.t.Errorf("mamori serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		sh.t.Errorf("mamori serve did not stop")
	}
	sh.server = nil
}

// lockedWriter serialises writes from the server's goroutines.
func lockedWriter(w io.Writer) io.Writer { return &syncWriter{w: w} }

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// printf is the shell's printf for %s and the escapes \n and \t; the format
// is reused while arguments remain, as the shell does.
func printf(format string, args []string) string {
	format = strings.NewReplacer(`\n`, "\n", `\t`, "\t").Replace(format)
	n := strings.Count(format, "%s")
	if n == 0 {
		return format
	}
	var b strings.Builder
	for {
		vals := make([]any, n)
		for i := range vals {
			vals[i] = ""
			if len(args) > 0 {
				vals[i], args = args[0], args[1:]
			}
		}
		b.WriteString(fmt.Sprintf(format, vals...))
		if len(args) == 0 {
			return b.String()
		}
	}
}

// lex splits a line into words as the shell does: quotes, $NAME and ${NAME},
// $(command) (run at once), | and >, and a # comment at the start of a word.
func (sh *shell) lex(line string) ([]word, error) {
	var words []word
	var b strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			words = append(words, word{s: b.String()})
		}
		b.Reset()
		inWord = false
	}
	expand := func(i int) (int, error) { // at a $; returns the index after it
		rest := line[i+1:]
		switch {
		case strings.HasPrefix(rest, "("):
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return 0, errors.New("$( without )")
			}
			out := new(bytes.Buffer)
			if err := sh.capture(rest[1:end], out); err != nil {
				return 0, err
			}
			b.WriteString(strings.TrimRight(out.String(), "\n"))
			return i + 1 + end + 1, nil
		case strings.HasPrefix(rest, "{"):
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return 0, errors.New("${ without }")
			}
			b.WriteString(sh.getenv(nil)(rest[1:end]))
			return i + 1 + end + 1, nil
		}
		j := 0
		for j < len(rest) && (rest[j] == '_' || rest[j] >= 'A' && rest[j] <= 'Z' || rest[j] >= 'a' && rest[j] <= 'z' || j > 0 && rest[j] >= '0' && rest[j] <= '9') {
			j++
		}
		if j == 0 {
			b.WriteByte('$')
			return i + 1, nil
		}
		b.WriteString(sh.getenv(nil)(rest[:j]))
		return i + 1 + j, nil
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
			i++
		case c == '|' || c == '>':
			flush()
			words = append(words, word{s: string(c), op: true})
			i++
		case c == '#' && !inWord:
			return words, nil
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated '")
			}
			b.WriteString(line[i+1 : i+1+end])
			inWord = true
			i += end + 2
		case c == '"':
			inWord = true
			i++
			for {
				if i >= len(line) {
					return nil, errors.New(`unterminated "`)
				}
				if line[i] == '"' {
					i++
					break
				}
				if line[i] == '$' {
					var err error
					if i, err = expand(i); err != nil {
						return nil, err
					}
					continue
				}
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`, line[i+1]) >= 0 {
					i++
				}
				b.WriteByte(line[i])
				i++
			}
		case c == '$':
			inWord = true
			var err error
			if i, err = expand(i); err != nil {
				return nil, err
			}
		default:
			inWord = true
			b.WriteByte(c)
			i++
		}
	}
	flush()
	return words, nil
}

// capture runs the command of a $(…) and writes its output to out.
func (sh *shell) capture(cmd string, out io.Writer) error {
	words, err := sh.lex(cmd)
	if err != nil {
		return err
	}
	var stages [][]string
	cur := []string{}
	for _, w := range words {
		if w.op && w.s == "|" {
			stages, cur = append(stages, cur), []string{}
			continue
		}
		if w.op {
			return fmt.Errorf("$(%s): only pipes", cmd)
		}
		cur = append(cur, w.s)
	}
	stages = append(stages, cur)
	var data []byte
	for _, st := range stages {
		if data, err = sh.runStage(st, data); err != nil {
			return err
		}
	}
	_, err = out.Write(data)
	return err
}
