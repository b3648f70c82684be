// Package app wires mamori together for the command line and for end-to-end
// tests: it parses arguments, opens the store, and runs the subcommands
// serve, migrate, import, export, demo and version. It may import every
// internal package; nothing imports it but cmd/mamori and its tests.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
)

// Version is mamori's version, set at build time with
// -ldflags "-X mamori/internal/app.Version=…".
var Version = "0.1.0-dev"

// EnvDB names the environment variable that may hold the database.
const EnvDB = "MAMORI_DB"

// DefaultDB is the SQLite file used when neither --db nor MAMORI_DB is given.
const DefaultDB = "mamori.db"

// UsageError is a mistake in the command line; the command exits with status 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ExitCode maps an error returned by Run to the process exit status: 0 for
// success (and for --help), 2 for a usage mistake, 1 for anything else.
func ExitCode(err error) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(*UsageError)):
		return 2
	}
	return 1
}

// Env is what a command runs with: its standard streams and environment,
// passed in so tests can run commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "ウェブ画面を提供する / serve the web interface", runServe},
		{"migrate", "データベースを最新のスキーマにする / bring the database schema up to date", runMigrate},
		{"import", "台帳を取り込む (.xlsx, .csv, .json) / import register files", runImport},
		{"export", "台帳を書き出す / export the register", runExport},
		{"check", "管理策を検査する / evaluate the controls and record findings", runCheck},
		{"report", "監査報告(audit)・OSCAL(oscal)を書き出す / write the audit report (report audit) or OSCAL documents (report oscal)", runReports},
		{"catalog", "管理策カタログを管理する / list, import, export catalogs and set parameters", runCatalog},
		{"vuln", "脆弱性情報を取り込み照合する / import feeds, match software, report and record countermeasures", runVuln},
		{"user", "利用者を管理する / add, list, disable users, change and reset passwords, reset second factors, issue API tokens", runUser},
		{"org", "組織の上位組織を設定する（親子関係の循環の修復） / set an organization's parent (repairs a cycle in the tree)", runOrg},
		{"workflow", "ワークフローの案件を見る・起票する・操作する / list and show workflow items; create, act, comment, attach as a user", runWorkflow},
		{"inspection", "自己点検を起票・回答・確認する / open self-inspections, answer their questions, list and show them", runInspection},
		{"project", "プロジェクトの計画・予算・契約・調査・利用状況を見る / list projects and show their governance view", runProject},
		{"incident", "インシデントを記録し対応を進める / record incidents, take their response steps, list them with their metrics", runIncident},
		{"training", "研修の受講率・理解度を見る / list training courses with attendance and comprehension rates, show one course", runTraining},
		{"cloudlist", "ISMAP・ISMAP-LIUのクラウドサービスリストを取り込み・表示する / import and show the published ISMAP cloud service lists", runCloudlist},
		{"forum", "支援掲示板を読む・投稿する・検索する / list, show, post to and search the support forum as a user", runForum},
		{"audit", "監査証跡を確認する / verify and list the hash-chained audit log", runAudit},
		{"notify", "通知（メール・Webhook）を試す / send a test e-mail and webhook event with the notification settings", runNotify},
		{"demo", "デモデータを生成して提供する / generate demo data and serve it", runDemo},
		{"version", "バージョンを表示する / print the version", runVersion},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `mamori — 政府情報システムのセキュリティ管理 / security governance for government information systems

Usage: mamori [--db DB] COMMAND [flags] [args]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Global flags:
  --db DB   SQLite file path or postgres:// DSN (env %s; default %s)

Run "mamori COMMAND --help" for a command's flags.
`, EnvDB, DefaultDB)
}

// Run runs the mamori command line given by args (without the program name).
func Run(ctx context.Context, env *Env, args []string) error {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	global := flag.NewFlagSet("mamori", flag.ContinueOnError)
	global.SetOutput(env.Stderr)
	db := global.String("db", "", "database")
	global.Usage = func() { usage(env.Stderr) }
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{err.Error()}
	}
	rest := global.Args()
	if len(rest) == 0 {
		usage(env.Stderr)
		return &UsageError{"no command given"}
	}
	for _, c := range commands() {
		if c.name == rest[0] {
			cmdArgs := rest[1:]
			if *db != "" {
				cmdArgs = append([]string{"--db", *db}, cmdArgs...)
			}
			return c.run(ctx, env, cmdArgs)
		}
	}
	usage(env.Stderr)
	return &UsageError{fmt.Sprintf("unknown command %q", rest[0])}
}

// flags starts a subcommand's flag set with the shared --db flag.
func flags(env *Env, name, synopsis string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	db := fs.String("db", "", "SQLite file path or postgres:// DSN (env "+EnvDB+"; default "+DefaultDB+")")
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: mamori %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, db
}

// subcommand readies the arguments of a command with subcommands (mamori
// workflow list …): a leading --db X goes after the subcommand, and with
// no subcommand or --help it prints the group's synopsis and done says
// there is nothing left to run (err: the usage error, if any). emptyIfDBOnly
// keeps the groups that take "--db X" alone as no subcommand doing so.
func subcommand(env *Env, group, synopsis string, args []string, emptyIfDBOnly bool) (rest []string, done bool, err error) {
	if len(args) > 0 && args[0] == "--db" && len(args) > 2 {
		// mamori --db X group sub …: put the global flag after the subcommand.
		args = append([]string{args[2], args[0], args[1]}, args[3:]...)
	} else if emptyIfDBOnly && len(args) == 2 && args[0] == "--db" {
		args = nil // a database but no command
	}
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprintf(env.Stderr, "Usage: mamori %s\n", synopsis)
		if len(args) == 0 {
			return nil, true, &UsageError{group + " needs a command"}
		}
		return nil, true, nil
	}
	return args, false, nil
}

// unknownSubcommand prints the group's synopsis and refuses sub.
func unknownSubcommand(env *Env, group, synopsis, sub string) error {
	fmt.Fprintf(env.Stderr, "Usage: mamori %s\n", synopsis)
	return &UsageError{fmt.Sprintf("unknown %s command %q", group, sub)}
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &UsageError{err.Error()}
	}
	return nil
}

// dsn picks the database: the flag, else the environment, else the default.
func dsn(env *Env, flagValue, fallback string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := env.Getenv(EnvDB); v != "" {
		return v
	}
	return fallback
}

// openStore opens and migrates the store: every command works on an
// up-to-date schema, so a new file simply becomes an empty register. It
// refuses a store whose audit log has lost its append-only triggers, and
// signs audit entries with the keyring of auditKeyFile.
func openStore(ctx context.Context, env *Env, dsn string) (*store.Store, error) {
	s, err := openStoreUnguarded(ctx, env, dsn)
	if err != nil {
		return nil, err
	}
	if err := s.CheckAuditTriggers(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openStoreUnguarded is openStore without the trigger check, for "audit
// verify", which reports missing triggers together with the chain.
func openStoreUnguarded(ctx context.Context, env *Env, dsn string) (*store.Store, error) {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := useAuditKeyring(ctx, env, s, dsn); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func runVersion(ctx context.Context, env *Env, args []string) error {
	fs, _ := flags(env, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "mamori %s\n", Version)
	return nil
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "migrate", "migrate [--db DB]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"migrate takes no arguments"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	cur, latest, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "schema version %d of %d (%s)\n", cur, latest, s.Dialect())
	return nil
}

// Describe renders an error for a person on the command line: every
// problem of a list (a refused import, a broken catalog) on its own line,
// Japanese then English.
func Describe(err error) string {
	if p, ok := errors.AsType[mamori.Problems](err); ok {
		var b strings.Builder
		fmt.Fprintf(&b, "%d 件の問題があります / %d problem(s):\n", len(p), len(p))
		for _, e := range p {
			b.WriteString("  ")
			b.WriteString(e.Bilingual())
			b.WriteByte('\n')
		}
		if len(p) >= register.MaxProblems {
			fmt.Fprintf(&b, "  (最初の %d 件のみ表示 / only the first %d are shown)\n", register.MaxProblems, register.MaxProblems)
		}
		return strings.TrimRight(b.String(), "\n")
	}
	if e, ok := errors.AsType[*mamori.Error](err); ok {
		return e.Bilingual()
	}
	return err.Error()
}
