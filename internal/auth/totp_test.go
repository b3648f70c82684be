package auth

import (
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// codeAt is the TOTP code of secret at t, as an app computes it.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewTOTP(t *testing.T) {
	secret, u, err := NewTOTP("sato", Issuer)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := url.Parse(u)
	if err != nil || parsed.Scheme != "otpauth" || parsed.Host != "totp" || parsed.Query().Get("secret") != secret ||
		parsed.Query().Get("issuer") != "mamori" || !strings.HasSuffix(parsed.Path, "mamori:sato") {
		t.Errorf("NewTOTP url = %q (%v)", u, err)
	}
	if len(secret) != 32 { // 20 bytes, base32
		t.Errorf("NewTOTP secret %q: want 160 bits", secret)
	}
	if other, _, _ := NewTOTP("sato", Issuer); other == secret {
		t.Errorf("NewTOTP returned the same secret twice")
	}
}

func TestValidateTOTP(t *testing.T) {
	secret, _, err := NewTOTP("sato", Issuer)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 9, 0, 10, 0, time.UTC)
	step := now.Unix() / 30
	for _, tc := range []struct {
		name     string
		code     string
		wantStep int64 // 0: refused
	}{
		{"current", codeAt(t, secret, now), step},
		{"with a space", codeAt(t, secret, now)[:3] + " " + codeAt(t, secret, now)[3:], step},
		{"previous step (slow clock)", codeAt(t, secret, now.Add(-30*time.Second)), step - 1},
		{"next step (fast clock)", codeAt(t, secret, now.Add(30*time.Second)), step + 1},
		{"two steps old", codeAt(t, secret, now.Add(-60*time.Second)), 0},
		{"two steps ahead", codeAt(t, secret, now.Add(60*time.Second)), 0},
		{"letters", "abcdef", 0},
		{"five digits", codeAt(t, secret, now)[:5], 0},
		{"empty", "", 0},
	} {
		got, err := ValidateTOTP(secret, tc.code, now)
		if tc.wantStep == 0 {
			// A code two steps away could coincide with a valid one (one in
			// a million); the fixed time and a random secret make a repeat
			// of such a coincidence improbable.
			if err == nil || !errors.Is(err, ErrBadCode) {
				t.Errorf("%s: ValidateTOTP(%q) = %d, %v; want ErrBadCode", tc.name, tc.code, got, err)
			}
			continue
		}
		if err != nil || got != tc.wantStep {
			t.Errorf("%s: ValidateTOTP(%q) = %d, %v; want step %d", tc.name, tc.code, got, err, tc.wantStep)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	shape := regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)
	seen := map[string]bool{}
	for i, c := range codes {
		if !shape.MatchString(c) || seen[c] {
			t.Errorf("recovery code %q: bad shape or repeated", c)
		}
		seen[c] = true
		for _, typed := range []string{c, strings.ToUpper(c), strings.ReplaceAll(c, "-", ""), strings.ReplaceAll(c, "-", " ")} {
			if hashRecoveryCode(typed) != hashes[i] {
				t.Errorf("hashRecoveryCode(%q) differs from the stored hash of %q", typed, c)
			}
		}
	}
	if len(codes) != RecoveryCodeCount || len(hashes) != RecoveryCodeCount {
		t.Errorf("NewRecoveryCodes gave %d codes, %d hashes", len(codes), len(hashes))
	}
}

// svgModules parses the SVG QRSVG writes: it checks that it is well-formed
// XML with a square viewBox, and returns its dark modules.
func svgModules(t *testing.T, svg string) (n int, dark map[[2]int]bool) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var path string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("QRSVG is not well-formed XML: %v\n%s", err, svg)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for _, a := range se.Attr {
			switch {
			case se.Name.Local == "svg" && a.Name.Local == "viewBox":
				var w, h int
				if _, err := fmt.Sscanf(a.Value, "0 0 %d %d", &w, &h); err != nil || w != h {
					t.Fatalf("viewBox %q is not square", a.Value)
				}
				n = w - 8
			case se.Name.Local == "path" && a.Name.Local == "d":
				path = a.Value
			}
		}
	}
	dark = map[[2]int]bool{}
	runs := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	if rest := runs.ReplaceAllString(path, ""); rest != "" {
		t.Fatalf("path has unexpected commands %q", rest)
	}
	for _, m := range runs.FindAllStringSubmatch(path, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := range w {
			dark[[2]int{x + i - 4, y - 4}] = true
		}
	}
	return n, dark
}

func TestQRSVG(t *testing.T) {
	_, u, err := NewTOTP("佐藤@example.go.jp", Issuer)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := QRSVG(u)
	if err != nil {
		t.Fatal(err)
	}
	n, dark := svgModules(t, svg)
	if n < 21 || (n-17)%4 != 0 {
		t.Fatalf("QR symbol of %d modules", n)
	}
	// The three finder patterns: a dark 7×7 ring, a light ring inside,
	// a dark 3×3 centre, in the top-left, top-right and bottom-left corners.
	for _, corner := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
		for dy := range 7 {
			for dx := range 7 {
				ring := max(abs(dx-3), abs(dy-3))
				want := ring != 2
				if got := dark[[2]int{corner[0] + dx, corner[1] + dy}]; got != want {
					t.Fatalf("finder pattern at %v: module (%d,%d) dark = %v, want %v", corner, dx, dy, got, want)
				}
			}
		}
	}
	for k := range dark {
		if k[0] < 0 || k[1] < 0 || k[0] >= n || k[1] >= n {
			t.Fatalf("dark module %v outside the %d×%d symbol", k, n, n)
		}
	}
	if len(svg) > 12000 {
		t.Errorf("QRSVG is %d bytes; want a compact SVG", len(svg))
	}
	if _, err := QRSVG("https://example.com/"); err == nil {
		t.Errorf("QRSVG(non-otpauth URL) = nil error")
	}
}

func abs(x int) int { return max(x, -x) }

// TestQRModulesRejects: images that are not a scaled QR symbol are refused.
func TestQRModulesRejects(t *testing.T) {
	blank := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	oblong := image.NewGray(image.Rect(0, 0, 50, 50))
	for i := range oblong.Pix {
		oblong.Pix[i] = 255
	}
	for x := range 42 {
		for y := range 21 {
			oblong.Set(x, y, color.Black)
		}
	}
	for name, img := range map[string]image.Image{"blank": blank, "oblong": oblong} {
		if _, err := qrModules(img); err == nil {
			t.Errorf("qrModules(%s) = nil error", name)
		}
	}
}

// TestQRModulesExact: the modules read back, scaled as the library scales
// them, reproduce the rendered image pixel for pixel, at several sizes.
func TestQRModulesExact(t *testing.T) {
	_, u, err := NewTOTP("sato", Issuer)
	if err != nil {
		t.Fatal(err)
	}
	key, err := otp.NewKeyFromURL(u)
	if err != nil {
		t.Fatal(err)
	}
	var first [][]bool
	for _, size := range []int{qrRender, 301, 200} {
		img, err := key.Image(size, size)
		if err != nil {
			t.Fatal(err)
		}
		mods, err := qrModules(img)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		n := len(mods)
		px := size / n
		off := (size - n*px) / 2
		for y := range size {
			for x := range size {
				r, g, b, _ := img.At(x, y).RGBA()
				got := r+g+b < 3*0x8000
				c, row := (x-off)/px, (y-off)/px
				want := x >= off && y >= off && c < n && row < n && mods[row][c]
				if got != want {
					t.Fatalf("size %d: pixel (%d,%d) dark = %v, modules say %v", size, x, y, got, want)
				}
			}
		}
		if first == nil {
			first = mods
		} else if fmt.Sprint(first) != fmt.Sprint(mods) {
			t.Errorf("size %d: modules differ from those read at %d", size, qrRender)
		}
	}
}
