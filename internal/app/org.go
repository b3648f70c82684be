package app

import (
	"context"
	"errors"
	"fmt"

	"mamori/internal/audit"
	"mamori/internal/store"
)

const orgSynopsis = `org COMMAND [flags]

Commands:
  set-parent CODE PARENT  make PARENT the parent of organization CODE ("" for none).
                          The repair of an organization tree that holds a cycle, which
                          every other command refuses to open; a parent that would make
                          CODE its own ancestor is refused.`

func runOrg(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "org", orgSynopsis, args, true)
	if done {
		return err
	}
	if args[0] == "set-parent" {
		return runOrgSetParent(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "org", orgSynopsis, args[0])
}

func runOrgSetParent(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "org set-parent", `org set-parent [--db DB] CODE PARENT  (PARENT "" for none)`)
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || pos[0] == "" {
		fs.Usage()
		return &UsageError{`org set-parent needs an organization code and a parent code ("" for none)`}
	}
	code, parent := pos[0], pos[1]
	dsn := dsn(env, *db, DefaultDB)
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	// The schema is brought up to date; a cycle in the tree, which stops
	// every other command, is what this command is here to repair.
	if err := s.Migrate(ctx); err != nil && !errors.Is(err, store.ErrOrgCycle) {
		return err
	}
	// The repair is audited like any other write: under the deployment's
	// audit key, and only while the log's triggers stand.
	if err := useAuditKeyring(ctx, env, s, dsn); err != nil {
		return err
	}
	if err := s.CheckAuditTriggers(ctx); err != nil {
		return err
	}
	before, err := s.OrgParents(ctx)
	if err != nil {
		return err
	}
	if err := s.SetOrgParent(ctx, code, parent); err != nil {
		return err
	}
	shown := parent
	if shown == "" {
		shown = "(なし / none)"
	}
	fmt.Fprintf(env.Stdout, "organization %s: parent %s\n", code, shown)
	if err := record(ctx, env, s, audit.Write, "organizations/"+code,
		map[string]any{"code": code, "parent_code": parent, "previous_parent_code": before[code]}); err != nil {
		return err
	}
	cycles, err := s.OrgCycles(ctx)
	if err != nil {
		return err
	}
	for _, c := range cycles {
		fmt.Fprintf(env.Stderr, "組織の親子関係がまだ循環しています / the organization tree still has a cycle: %s\n", store.CyclePath(c))
	}
	return nil
}
