// Package mail sends the account mails (email verification, password reset)
// over SMTP. Handlers never wait for a mail server: they put a Message on a
// bounded Queue whose worker sends it, so a slow or absent server cannot
// stall a request, and an existing and a missing account answer equally fast.
//
// Addresses are secrets of their owners: nothing here logs a recipient, and
// bodies (which carry single-use tokens) are never logged.
package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"
)

// Message is one plain-text mail to one recipient.
type Message struct {
	To      string
	Subject string
	Text    string
	// Kind names the template ("verification", "password_reset", ...) for
	// logs and metrics, which never see To.
	Kind string
	// Headers are extra header fields (name, value), written after the
	// standard ones: List-Unsubscribe on notification mails.
	Headers [][2]string
}

// errHeaderInjection rejects header values that would start a new header.
var errHeaderInjection = errors.New("mail header contains a line break")

// encode renders m as an RFC 5322 message from from, dated now.
func (m Message) encode(from string, now time.Time) ([]byte, error) {
	for _, v := range []string{m.To, m.Subject, from} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, errHeaderInjection
		}
	}
	for _, h := range m.Headers {
		if strings.ContainsAny(h[0]+h[1], "\r\n") || strings.ContainsAny(h[0], ": ") || h[0] == "" {
			return nil, errHeaderInjection
		}
	}
	id, err := messageID(from)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, h := range [][2]string{
		{"From", from}, {"To", m.To}, {"Subject", mime.QEncoding.Encode("utf-8", m.Subject)},
		{"Date", now.UTC().Format(time.RFC1123Z)}, {"Message-ID", id},
		{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "8bit"},
	} {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	for _, h := range m.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n"))
	return b.Bytes(), nil
}

// messageID is a random Message-ID in the sender's domain.
func messageID(from string) (string, error) {
	var r [12]byte
	if _, err := rand.Read(r[:]); err != nil {
		return "", fmt.Errorf("message id: %w", err)
	}
	domain := "proofstell.local"
	if at := strings.LastIndex(from, "@"); at >= 0 {
		domain = strings.TrimRight(from[at+1:], ">")
	}
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">", nil
}
