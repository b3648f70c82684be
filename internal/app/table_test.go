package app

import (
	"strings"
	"testing"
)

func TestTextTableAlignsWideCharacters(t *testing.T) {
	var b strings.Builder
	tt := newTextTable(&b)
	tt.Write([]byte("ID\t管理策\t対象\n"))
	tt.Write([]byte("REG-01\t台帳未登録システム\tsystem\n"))
	if err := tt.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// The third column starts at the same terminal column on every line.
	col := func(line string) int { return displayWidth(line[:strings.LastIndex(line, "  ")+2]) }
	if len(lines) != 2 || col(lines[0]) != col(lines[1]) {
		t.Errorf("misaligned:\n%s", b.String())
	}
}
