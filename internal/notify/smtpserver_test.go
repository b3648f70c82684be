package notify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpServer is a small real SMTP server on 127.0.0.1 for the tests: it
// speaks EHLO, STARTTLS (when given a certificate), AUTH PLAIN, MAIL,
// RCPT, DATA, RSET, NOOP and QUIT over TCP, and keeps what it received.
type smtpServer struct {
	addr string
	// tls, when set, makes the server offer STARTTLS.
	tls *tls.Config
	// user and pass, when set, make it offer AUTH PLAIN (after STARTTLS
	// only, as real servers do) and accept that pair only.
	user, pass string
	// rcptReply, when set, is the answer to RCPT (e.g. "550 no such user").
	rcptReply string

	mu   sync.Mutex
	msgs []received
	// plainAuth counts AUTH commands received without TLS.
	plainAuth int
}

// received is one message as the server took it.
type received struct {
	from, to string
	data     string
	tls      bool
	authed   string
}

// clearAuths counts the AUTH commands received without TLS.
func (s *smtpServer) clearAuths() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plainAuth
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

// startSMTP starts srv on 127.0.0.1:0 until the test ends.
func startSMTP(t *testing.T, srv *smtpServer) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.addr = ln.Addr().String()
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { srv.serve(c) })
		}
	})
	return srv
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	tp := textproto.NewConn(c)
	reply := func(format string, args ...any) { tp.PrintfLine(format, args...) }
	reply("220 test.invalid ESMTP ready")
	var cur received
	secure := false
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"test.invalid", "8BITMIME"}
			if s.tls != nil && !secure {
				lines = append(lines, "STARTTLS")
			}
			if s.user != "" && secure {
				lines = append(lines, "AUTH PLAIN")
			}
			for i, l := range lines {
				sep := "-"
				if i == len(lines)-1 {
					sep = " "
				}
				reply("250%s%s", sep, l)
			}
		case "STARTTLS":
			if s.tls == nil || secure {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(c, s.tls)
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			tp = textproto.NewConn(tc)
			cur = received{}
		case "AUTH":
			if !secure {
				s.mu.Lock()
				s.plainAuth++
				s.mu.Unlock()
			}
			mech, resp, _ := strings.Cut(arg, " ")
			dec, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(dec), "\x00")
			if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.pass {
				reply("535 authentication failed")
				continue
			}
			cur.authed = parts[1]
			reply("235 accepted")
		case "MAIL":
			cur.from = angle(arg)
			reply("250 ok")
		case "RCPT":
			if s.rcptReply != "" {
				reply("%s", s.rcptReply)
				continue
			}
			cur.to = angle(arg)
			reply("250 ok")
		case "DATA":
			if cur.to == "" {
				reply("503 no recipient")
				continue
			}
			reply("354 end with .")
			b, err := tp.ReadDotBytes()
			if err != nil {
				return
			}
			cur.data, cur.tls = string(b), secure
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			cur = received{authed: cur.authed}
			reply("250 queued")
		case "RSET":
			cur = received{authed: cur.authed}
			reply("250 ok")
		case "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

// testCert returns a self-signed certificate for 127.0.0.1, as a server
// configuration and a pool that trusts it.
func testCert(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}, pool
}

// angle returns the address between < and > in a MAIL or RCPT argument.
func angle(arg string) string {
	_, rest, _ := strings.Cut(arg, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}
