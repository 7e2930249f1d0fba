package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"

	"github.com/proofstell/proofstell/config"
)

// SMTP sends messages through the configured server (config.Mail). An empty
// Host disables sending: each message is logged as "mail skipped" by kind,
// without recipient or body. Safe for concurrent use.
type SMTP struct {
	cfg      config.Mail
	envelope string // bare From address for MAIL FROM
	logger   *slog.Logger
	rootCAs  *x509.CertPool
	now      func() time.Time
}

// Option adjusts an SMTP sender.
type Option func(*SMTP)

// WithRootCAs trusts pool instead of the system roots for STARTTLS (a
// private mail relay, or a test server's self-signed certificate).
func WithRootCAs(pool *x509.CertPool) Option { return func(s *SMTP) { s.rootCAs = pool } }

// NewSMTP returns a sender for cfg. cfg.From must parse as an address.
func NewSMTP(cfg config.Mail, logger *slog.Logger, opts ...Option) (*SMTP, error) {
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail from %q: %w", cfg.From, err)
	}
	if logger == nil {
		logger = slog.Default()
	}
	s := &SMTP{cfg: cfg, envelope: from.Address, logger: logger, now: time.Now}
	for _, opt := range opts {
		opt(s)
	}
	return s, nil
}

// Enabled reports whether a mail server is configured.
func (s *SMTP) Enabled() bool { return s.cfg.Host != "" }

// Send delivers m, upgrading to TLS when the server offers STARTTLS and
// authenticating (PLAIN, which net/smtp allows only over TLS or to
// localhost) when a user is configured. ctx bounds the whole exchange.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if !s.Enabled() {
		s.logger.InfoContext(ctx, "mail skipped", slog.String("kind", m.Kind), slog.String("reason", "MAIL_HOST unset"))
		return nil
	}
	body, err := m.encode(s.cfg.From, s.now())
	if err != nil {
		return fmt.Errorf("send %s mail: %w", m.Kind, err)
	}
	if err := s.deliver(ctx, m.To, body); err != nil {
		return fmt.Errorf("send %s mail: %w", m.Kind, err)
	}
	return nil
}

// deliver runs one SMTP transaction.
func (s *SMTP) deliver(ctx context.Context, to string, body []byte) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)))
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline) // a failure surfaces on the next read or write
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("greeting: %w", err)
	}
	defer func() { _ = c.Close() }()
	if err := s.secure(c); err != nil {
		return err
	}
	return transact(c, s.envelope, to, body)
}

// secure starts TLS when offered and authenticates when configured.
func (s *SMTP) secure(c *smtp.Client) error {
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := &tls.Config{ServerName: s.cfg.Host, RootCAs: s.rootCAs, MinVersion: tls.VersionTLS12}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if s.cfg.User == "" {
		return nil
	}
	if err := c.Auth(smtp.PlainAuth("", s.cfg.User, s.cfg.Pass, s.cfg.Host)); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// transact sends the envelope and the body, then quits.
func transact(c *smtp.Client, from, to string, body []byte) error {
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("rcpt to: %w", withoutText(err))
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("write body: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("end data: %w", err)
	}
	if err := c.Quit(); err != nil {
		return fmt.Errorf("quit: %w", err)
	}
	return nil
}

// errRecipientRejected replaces a server reply that may echo the address.
var errRecipientRejected = errors.New("recipient rejected")

// withoutText keeps only the reply code of a server error: replies to RCPT
// often quote the address, which must not reach the logs.
func withoutText(err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return fmt.Errorf("%w: code %d", errRecipientRejected, tp.Code)
	}
	return err
}
