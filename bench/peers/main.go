// Command peers evaluates three representative mamori controls with
// mamori's CEL engine and with the same checks written in Rego (OPA's Go
// library), over the same targets loaded through mamori's store, and prints
// the evaluation time of each and their ratio. Loading is not timed: both
// engines see the same rows, built once per batch.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/open-policy-agent/opa/v1/rego"

	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/store"
)

// The Rego versions of the controls. Each yields "na", "pass" or "fail" as
// data.mamori.<pkg>.result, the same three outcomes mamori counts.
var policies = map[string]string{
	// REG-03: a registered system of a central body has a SystemID.
	"REG-03": `package mamori.reg03
import rego.v1
applies if {
	input.system.in_register == true
	input.system.org_kind in {"ministry", "central", "branch", "agency"}
}
ok if input.system.system_id
ok if { x := input.system.system_id; is_string(x) }
result := "na" if not applies
result := "pass" if { applies; ok }
result := "fail" if { applies; not ok }
`,
	// LOG-02: collected logs are reviewed within params.days days.
	"LOG-02": `package mamori.log02
import rego.v1
applies if count(input.system.log_kinds_collected) > 0
days_since(d) := n if {
	n := floor((time.parse_ns("2006-01-02", input.today) - time.parse_ns("2006-01-02", d)) / 86400000000000)
}
ok if days_since(input.system.last_log_review) <= input.params.days
result := "na" if not applies
result := "pass" if { applies; ok }
result := "fail" if { applies; not ok }
`,
	// LG-01: a terminal on the My Number segment uses a second factor.
	"LG-01": `package mamori.lg01
import rego.v1
applies if {
	input.component.kind == "terminal"
	input.component.network_segment == "mynumber"
}
ok if input.component.second_factor == true
result := "na" if not applies
result := "pass" if { applies; ok }
result := "fail" if { applies; not ok }
`,
}

var order = []string{"REG-03", "LOG-02", "LG-01"}

var pkgs = map[string]string{"REG-03": "reg03", "LOG-02": "log02", "LG-01": "lg01"}

func main() {
	db := flag.String("db", "", "mamori database (SQLite path or postgres:// DSN)")
	today := flag.String("today", "2026-11-01", "reference date")
	flag.Parse()
	if *db == "" {
		fmt.Fprintln(os.Stderr, "usage: peers -db FILE")
		os.Exit(2)
	}
	if err := run(context.Background(), *db, *today); err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
}

type counts [4]int64 // by check.Status

func run(ctx context.Context, db, today string) error {
	st, err := store.Open(ctx, db)
	if err != nil {
		return err
	}
	defer st.Close()
	cats, err := catalog.Builtin()
	if err != nil {
		return err
	}
	eng, err := check.New(cats, today)
	if err != nil {
		return err
	}
	fmt.Printf("%-7s %-10s %10s %12s %12s %8s  %s\n", "control", "target", "targets", "CEL", "Rego", "Rego/CEL", "outcomes (fail/applicable)")
	for _, id := range order {
		var prog *check.Program
		for _, p := range eng.Programs {
			if p.Control.ID == id {
				prog = p
			}
		}
		if prog == nil {
			return fmt.Errorf("no control %s", id)
		}
		params := map[string]any{}
		for k, v := range prog.Control.Params {
			if n, err := strconv.ParseInt(v.Value, 10, 64); err == nil {
				params[k] = n
			} else {
				params[k] = v.Value
			}
		}
		pq, err := rego.New(rego.Query("data.mamori."+pkgs[id]+".result"),
			rego.Module(id+".rego", policies[id])).PrepareForEval(ctx)
		if err != nil {
			return fmt.Errorf("%s: rego: %w", id, err)
		}
		view := store.ViewOf(prog.Target())
		fields := prog.Fields()
		need := map[string]bool{}
		for _, f := range fields {
			need[f] = true
		}
		var celT, regoT time.Duration
		var celC, regoC counts
		var n int64
		var rerr error
		err = st.LoadView(ctx, prog.Target(), store.ViewScope{Fields: need}, func(rows []store.ViewRow) error {
			// The Rego input of each row: the same projection CEL sees.
			inputs := make([]map[string]any, len(rows))
			for i := range rows {
				obj := map[string]any{}
				for _, f := range fields {
					switch v := rows[i].Values[view.Field(f)].(type) {
					case nil:
					case []string:
						a := make([]any, len(v))
						for j, s := range v {
							a[j] = s
						}
						obj[f] = a
					default:
						obj[f] = v
					}
				}
				inputs[i] = map[string]any{view.Var: obj, "today": today, "params": params}
			}
			t := time.Now()
			for i := range rows {
				celC[prog.Eval(today, &rows[i])]++
			}
			celT += time.Since(t)
			t = time.Now()
			for _, in := range inputs {
				rs, err := pq.Eval(ctx, rego.EvalInput(in))
				if err != nil {
					rerr = err
					return err
				}
				switch rs[0].Expressions[0].Value {
				case "pass":
					regoC[check.Pass]++
				case "fail":
					regoC[check.Fail]++
				default:
					regoC[check.NotApplicable]++
				}
			}
			regoT += time.Since(t)
			n += int64(len(rows))
			return nil
		})
		if rerr != nil {
			return fmt.Errorf("%s: rego: %w", id, rerr)
		}
		if err != nil {
			return err
		}
		same := "same"
		if celC != regoC {
			same = fmt.Sprintf("DIFFER: CEL %v, Rego %v", celC, regoC)
		}
		fmt.Printf("%-7s %-10s %10d %12s %12s %7.1fx  %d/%d %s\n", id, prog.Target(), n,
			celT.Round(time.Millisecond), regoT.Round(time.Millisecond), float64(regoT)/float64(celT),
			celC[check.Fail], celC[check.Pass]+celC[check.Fail]+celC[check.Error], same)
	}
	return nil
}
