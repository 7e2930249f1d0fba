// Package mailtest runs a real SMTP server (emersion/go-smtp) on loopback for
// tests, optionally with STARTTLS and PLAIN authentication, and hands every
// received mail to the test.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/config"
)

// waitFor bounds how long Next waits for a mail.
const waitFor = 10 * time.Second

// Mail is one received message.
type Mail struct {
	From string
	To   []string
	Data string // the raw message, headers and body
	TLS  bool   // delivered over STARTTLS
	User string // the authenticated user, "" for none
}

// Server is a loopback SMTP server that records what it receives.
type Server struct {
	Host     string
	Port     int
	user     string
	pass     string
	roots    *x509.CertPool
	received chan Mail
}

// Option configures a Server.
type Option func(*Server, *smtp.Server)

// WithTLSAuth offers STARTTLS with a fresh self-signed certificate for
// 127.0.0.1 and requires AUTH PLAIN as user/pass before MAIL.
func WithTLSAuth(t testing.TB, user, pass string) Option {
	return func(s *Server, srv *smtp.Server) {
		cert, pool := selfSigned(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.user, s.pass, s.roots = user, pass, pool
	}
}

// NewServer starts a server closed at t's cleanup.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{Host: "127.0.0.1", received: make(chan Mail, 64)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, isTLS := c.TLSConnectionState()
		return &session{server: s, mail: Mail{TLS: isTLS}}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = waitFor, waitFor
	for _, opt := range opts {
		opt(s, srv)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s.Port = l.Addr().(*net.TCPAddr).Port
	served := make(chan struct{})
	go func() { defer close(served); _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close(); <-served })
	return s
}

// Config is a config.Mail pointing at the server.
func (s *Server) Config() config.Mail {
	return config.Mail{Host: s.Host, Port: s.Port, User: s.user, Pass: s.pass,
		From: "ProofStell <no-reply@proofstell.test>"}
}

// RootCAs trusts the server's certificate (nil without TLS).
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// Next returns the next received mail, failing t after a deadline.
func (s *Server) Next(t testing.TB) Mail {
	t.Helper()
	select {
	case m := <-s.received:
		return m
	case <-time.After(waitFor):
		t.Fatalf("mailtest: no mail within %s", waitFor)
		return Mail{}
	}
}

// Pending returns how many received mails nobody took yet.
func (s *Server) Pending() int { return len(s.received) }

// tokenLink finds the token query parameter of a link in a mail.
var tokenLink = regexp.MustCompile(`https?://\S+\?token=([A-Za-z0-9_-]+)`)

// Token extracts the single-use token from the link in m, failing t when
// there is none.
func Token(t testing.TB, m Mail) string {
	t.Helper()
	match := tokenLink.FindStringSubmatch(m.Data)
	require.Len(t, match, 2, "no token link in mail:\n%s", m.Data)
	return match[1]
}

type session struct {
	server *Server
	mail   Mail
	authed bool
}

// AuthMechanisms offers PLAIN, the mechanism the sender uses.
func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

// Auth checks PLAIN credentials against the server's user and password.
func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.server.user || pass != s.server.pass {
			return errors.New("invalid credentials")
		}
		s.authed, s.mail.User = true, user
		return nil
	}), nil
}

// Mail records the envelope sender, requiring auth when configured.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.server.user != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.mail.From = from
	return nil
}

// Rcpt records a recipient.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.mail.To = append(s.mail.To, to)
	return nil
}

// Data hands the complete message to the test.
func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.mail
	m.Data = string(b)
	select {
	case s.server.received <- m:
		return nil
	default:
		return errors.New("mailtest: inbox full")
	}
}

// Reset forgets the current message but keeps TLS and auth state.
func (s *session) Reset() { s.mail = Mail{TLS: s.mail.TLS, User: s.mail.User} }

// Logout ends the session; nothing to release.
func (s *session) Logout() error { return nil }

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }
