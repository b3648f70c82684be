package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the layering: the vocabulary at the root imports
// only the standard library, adapters do not import each other, and only
// app (and cmd) tie everything together.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "mamori/...").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	// allowed lists, per package, the mamori packages it may import.
	allowed := map[string][]string{
		"mamori":                    {},
		"mamori/internal/wareki":    {"mamori"},
		"mamori/internal/yen":       {"mamori"},
		"mamori/internal/sheet":     {"mamori"},
		"mamori/internal/ismaplist": {"mamori", "mamori/internal/sheet", "mamori/internal/wareki"},
		"mamori/internal/cloudlist": {"mamori", "mamori/internal/audit", "mamori/internal/auth", "mamori/internal/authz",
			"mamori/internal/ismaplist", "mamori/internal/store", "mamori/internal/wareki"},
		"mamori/internal/store":           {"mamori"},
		"mamori/internal/store/storetest": {"mamori", "mamori/internal/store"},
		"mamori/internal/register":        {"mamori", "mamori/internal/store", "mamori/internal/sheet", "mamori/internal/wareki", "mamori/internal/yen", "mamori/internal/audit"},
		"mamori/internal/demo":            {"mamori", "mamori/internal/store"},
		"mamori/internal/web": {"mamori", "mamori/internal/store", "mamori/internal/catalog", "mamori/internal/match",
			"mamori/internal/chart", "mamori/internal/report", "mamori/internal/wareki", "mamori/internal/audit",
			"mamori/internal/auth", "mamori/internal/authz", "mamori/internal/i18n", "mamori/internal/register", "mamori/internal/sheet", "mamori/internal/workflow",
			"mamori/internal/notify", "mamori/internal/cloudlist", "mamori/internal/forum"},
		"mamori/internal/forum": {"mamori", "mamori/internal/audit", "mamori/internal/auth", "mamori/internal/authz",
			"mamori/internal/catalog", "mamori/internal/notify", "mamori/internal/store"},
		"mamori/internal/i18n":      {"mamori/internal/wareki", "mamori/internal/yen"},
		"mamori/internal/notify":    {"mamori", "mamori/internal/store", "mamori/internal/audit"},
		"mamori/internal/oscal":     {"mamori"},
		"mamori/internal/catalog":   {"mamori", "mamori/internal/oscal"},
		"mamori/internal/check":     {"mamori", "mamori/internal/catalog", "mamori/internal/store", "mamori/internal/wareki"},
		"mamori/internal/report":    {"mamori", "mamori/internal/catalog", "mamori/internal/sheet", "mamori/internal/store", "mamori/internal/wareki", "mamori/internal/yen"},
		"mamori/internal/oscalout":  {"mamori", "mamori/internal/oscal", "mamori/internal/store"},
		"mamori/internal/cpe":       {"mamori"},
		"mamori/internal/chart":     {},
		"mamori/internal/version":   {"mamori"},
		"mamori/internal/sbom":      {"mamori"},
		"mamori/internal/vuln":      {"mamori"},
		"mamori/internal/vuln/nvd":  {"mamori", "mamori/internal/vuln"},
		"mamori/internal/vuln/jvn":  {"mamori", "mamori/internal/vuln"},
		"mamori/internal/vuln/osv":  {"mamori", "mamori/internal/vuln"},
		"mamori/internal/vuln/kev":  {"mamori", "mamori/internal/vuln"},
		"mamori/internal/vuln/epss": {"mamori", "mamori/internal/vuln"},
		"mamori/internal/feed": {"mamori", "mamori/internal/cpe", "mamori/internal/store", "mamori/internal/vuln",
			"mamori/internal/vuln/epss", "mamori/internal/vuln/jvn", "mamori/internal/vuln/kev", "mamori/internal/vuln/nvd", "mamori/internal/vuln/osv"},
		"mamori/internal/workflow": {"mamori", "mamori/internal/audit", "mamori/internal/auth", "mamori/internal/authz", "mamori/internal/store",
			"mamori/internal/catalog", "mamori/internal/notify"},
		"mamori/internal/match": {"mamori", "mamori/internal/cpe", "mamori/internal/sbom", "mamori/internal/store",
			"mamori/internal/version", "mamori/internal/vuln", "mamori/internal/vuln/jvn"},
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		ok, ruled := allowed[pkg]
		if !ruled {
			continue // app and cmd may import anything
		}
		for _, imp := range imports {
			if imp != "mamori" && !strings.HasPrefix(imp, "mamori/") {
				continue
			}
			permitted := false
			for _, a := range ok {
				permitted = permitted || a == imp
			}
			if !permitted {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}
