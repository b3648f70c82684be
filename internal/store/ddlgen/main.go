//go:build ignore

// Command ddlgen prints the CREATE TABLE statements for the register as it is
// defined in package mamori, for one dialect. It was used to write the first
// migration; migrations are frozen text after that, so it is not part of the build.
//
//	go run internal/store/ddlgen/main.go sqlite > internal/store/migrations/sqlite/00001_register.sql
package main

import (
	"fmt"
	"os"
	"strings"

	"mamori"
)

func main() {
	dialect := os.Args[1]
	fmt.Println("-- +goose Up")
	for _, e := range mamori.Entities {
		var cols []string
		for _, f := range e.Fields {
			typ := map[mamori.FieldType]string{
				// "C" collation: byte order, as SQLite compares, whatever the server's locale.
				mamori.Text: `TEXT COLLATE "C"`, mamori.Code: `TEXT COLLATE "C"`, mamori.Enum: `TEXT COLLATE "C"`,
				mamori.Integer: "BIGINT", mamori.Money: "BIGINT", mamori.FiscalYear: "INTEGER",
				mamori.Date: "DATE", mamori.Bool: "BOOLEAN",
			}[f.Type]
			if dialect == "sqlite" {
				switch f.Type {
				case mamori.Integer, mamori.Money, mamori.FiscalYear, mamori.Bool:
					typ = "INTEGER"
				case mamori.Date, mamori.Text, mamori.Code, mamori.Enum:
					typ = "TEXT"
				}
			}
			c := fmt.Sprintf("    %s %s", f.Column, typ)
			if f.Key {
				c += " NOT NULL"
				if !f.Mandatory() {
					c += " DEFAULT ''"
				}
			} else if f.Mandatory() {
				c += " NOT NULL"
			}
			if f.Type == mamori.Enum {
				var vs []string
				for _, v := range f.Enum {
					vs = append(vs, "'"+v.Code+"'")
				}
				c += fmt.Sprintf(" CHECK (%s IN (%s))", f.Column, strings.Join(vs, ", "))
			}
			if f.Type == mamori.Bool && dialect == "sqlite" {
				c += fmt.Sprintf(" CHECK (%s IN (0, 1))", f.Column)
			}
			if f.Ref != "" {
				c += fmt.Sprintf(" REFERENCES %s (code)", f.Ref)
				if f.Ref == e.Name {
					c += " DEFERRABLE INITIALLY DEFERRED"
				}
			}
			cols = append(cols, c)
		}
		var keys []string
		for _, k := range e.KeyFields() {
			keys = append(keys, k.Column)
		}
		cols = append(cols, fmt.Sprintf("    PRIMARY KEY (%s)", strings.Join(keys, ", ")))
		// SQLite: the table is its primary-key tree (no separate rowid
		// tree), one B-tree fewer to update per row.
		tail := ""
		if dialect == "sqlite" {
			tail = " WITHOUT ROWID"
		}
		fmt.Printf("CREATE TABLE %s (\n%s\n)%s;\n", e.Name, strings.Join(cols, ",\n"), tail)
		for _, f := range e.Fields {
			if f.Ref != "" && !(f.Key && f.Column == keys[0]) {
				fmt.Printf("CREATE INDEX %s_%s_idx ON %s (%s);\n", e.Name, f.Column, e.Name, f.Column)
			}
		}
		fmt.Println()
	}
	fmt.Println("-- +goose Down")
	for i := len(mamori.Entities) - 1; i >= 0; i-- {
		fmt.Printf("DROP TABLE %s;\n", mamori.Entities[i].Name)
	}
}
