package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"image"
	"math/big"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"mamori"
)

// Issuer is the issuer name an authenticator app shows next to the account.
const Issuer = "mamori"

// TOTP parameters: RFC 6238 defaults, which every authenticator app
// supports (several ignore anything else in the otpauth URL).
const (
	TOTPPeriod = 30 * time.Second
	TOTPSkew   = 1 // steps accepted either side of now: clocks drift
	totpDigits = otp.DigitsSix
)

// NewTOTP makes a new random TOTP key for user and returns its base32
// secret and the otpauth:// URL an authenticator app enrols from.
func NewTOTP(user, issuer string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: user, Period: uint(TOTPPeriod / time.Second),
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", fmt.Errorf("auth: totp: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// totpURL is the otpauth:// URL of an existing key, with the same
// parameters NewTOTP's keys carry.
func totpURL(user, issuer, secret string) string {
	v := neturl.Values{}
	v.Set("secret", secret)
	v.Set("issuer", issuer)
	v.Set("period", strconv.Itoa(int(TOTPPeriod/time.Second)))
	v.Set("digits", strconv.Itoa(int(totpDigits)))
	v.Set("algorithm", "SHA1")
	return "otpauth://totp/" + neturl.PathEscape(issuer+":"+user) + "?" + v.Encode()
}

// normalizeCode drops the spaces and hyphens people type into codes.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code)
}

// isTOTPCode reports whether code has the shape of a TOTP code (six digits).
func isTOTPCode(code string) bool {
	if len(code) != int(totpDigits) {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ValidateTOTP checks code against secret at now, accepting the steps
// TOTPSkew either side, and returns the time step (Unix time / period) the
// code belongs to. It does not stop replays: the caller accepts a code
// only if its step is later than the last step it accepted for the user
// (Authenticate and ConfirmTOTP do, with users.totp_last_step). A wrong
// code is an error of kind Invalid wrapping ErrBadCode.
func ValidateTOTP(secret, code string, now time.Time) (int64, error) {
	code = normalizeCode(code)
	if !isTOTPCode(code) {
		return 0, badCode()
	}
	opts := totp.ValidateOpts{Period: uint(TOTPPeriod / time.Second), Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}
	period := int64(TOTPPeriod / time.Second)
	now0 := now.Unix() / period
	// Later steps first: when two steps share a code, replay protection
	// must remember the later one.
	for d := int64(TOTPSkew); d >= -TOTPSkew; d-- {
		step := now0 + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*period, 0), opts)
		if err != nil {
			return 0, &mamori.Error{Kind: mamori.Internal, Message: "second factor: unusable TOTP secret",
				MessageJA: "二要素認証の鍵が使えません", Err: err}
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, nil
		}
	}
	return 0, badCode()
}

func badCode() error {
	return &mamori.Error{Kind: mamori.Invalid, Message: "second factor: wrong code",
		MessageJA: "確認コードが違います", Err: ErrBadCode}
}

// RecoveryCodeCount is how many recovery codes an enrolment yields.
const RecoveryCodeCount = 10

var recoveryEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewRecoveryCodes returns RecoveryCodeCount random recovery codes to show
// the user once, and their hashes to store. Each code is 80 random bits
// (16 base32 characters in groups of four): enough that a plain SHA-256
// cannot be reversed by search, so checking one costs no argon2 run.
func NewRecoveryCodes() (codes []string, hashes []string, err error) {
	for range RecoveryCodeCount {
		b := make([]byte, 10)
		if _, err := rand.Read(b); err != nil {
			return nil, nil, fmt.Errorf("auth: recovery codes: %w", err)
		}
		s := strings.ToLower(recoveryEncoding.EncodeToString(b))
		code := s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		codes = append(codes, code)
		hashes = append(hashes, hashRecoveryCode(code))
	}
	return codes, hashes, nil
}

// hashRecoveryCode hashes a recovery code as typed: spaces, hyphens and
// letter case do not matter.
func hashRecoveryCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(normalizeCode(code))))
	return hex.EncodeToString(sum[:])
}

// randIntn returns a uniform random int in [0, n) from crypto/rand.
func randIntn(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return int(v.Int64())
}

// qrRender is the pixel size the QR code is rendered at before its
// modules are read back: at least 2 pixels per module for the largest
// symbol (177 modules), so module edges are unambiguous.
const qrRender = 720

// QRSVG renders the QR code of an otpauth:// URL as a compact SVG: a white
// square with a 4-module quiet zone, and one path of dark rectangles (a
// run of modules per row each). Rendered on the server: no script, no
// image request, nothing sent to a third party.
func QRSVG(otpauthURL string) (string, error) {
	key, err := otp.NewKeyFromURL(otpauthURL)
	if err == nil && !strings.HasPrefix(otpauthURL, "otpauth://") {
		err = fmt.Errorf("not an otpauth:// URL")
	}
	if err != nil {
		return "", mamori.Errorf(mamori.Invalid, "otpauth URL が正しくありません", "otpauth URL: %v", err)
	}
	img, err := key.Image(qrRender, qrRender)
	if err != nil {
		return "", fmt.Errorf("auth: QR code: %w", err)
	}
	mods, err := qrModules(img)
	if err != nil {
		return "", fmt.Errorf("auth: QR code: %w", err)
	}
	return qrSVG(mods), nil
}

// qrModules reads the module matrix back from a scaled QR image. The
// symbol has no quiet zone, so the dark pixels' bounding box is the symbol
// itself, and the top row of the top-left finder pattern is 7 dark modules.
func qrModules(img image.Image) ([][]bool, error) {
	b := img.Bounds()
	dark := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return r+g+bl < 3*0x8000
	}
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if dark(x, y) {
				minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return nil, fmt.Errorf("no dark pixels")
	}
	run := 0
	for x := minX; x <= maxX && dark(x, minY); x++ {
		run++
	}
	w, h := maxX-minX+1, maxY-minY+1
	if run%7 != 0 || w != h || w%(run/7) != 0 {
		return nil, fmt.Errorf("not a scaled QR symbol (%dx%d, finder run %d)", w, h, run)
	}
	px := run / 7
	n := w / px
	if n < 21 || n > 177 || (n-17)%4 != 0 {
		return nil, fmt.Errorf("QR symbol of %d modules", n)
	}
	mods := make([][]bool, n)
	for r := range mods {
		mods[r] = make([]bool, n)
		for c := range mods[r] {
			mods[r][c] = dark(minX+c*px+px/2, minY+r*px+px/2)
		}
	}
	return mods, nil
}

// qrSVG writes the modules as SVG; 4 px per module at natural size.
func qrSVG(mods [][]bool) string {
	const quiet = 4
	n := len(mods) + 2*quiet
	var p strings.Builder
	for r, row := range mods {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			fmt.Fprintf(&p, "M%d %dh%dv1h-%dz", start+quiet, r+quiet, c-start, c-start)
		}
	}
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges" role="img" aria-label="QR code"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, 4*n, 4*n, n, n, p.String())
}
