package mail

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KindNotification names notification mails in logs and metrics.
const KindNotification = "notification"

// ErrBadUnsubscribe reports an unsubscribe token that does not decode or whose
// signature does not match.
var ErrBadUnsubscribe = errors.New("bad unsubscribe token")

// UnsubscribeToken signs (player, kind) so that the mail's one-click link
// turns that kind's email off without a login. It never expires: an old
// mail's link must keep working.
func UnsubscribeToken(secret []byte, playerID, kind string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(playerID + "|" + kind))
	return payload + "." + base64.RawURLEncoding.EncodeToString(unsubscribeMAC(secret, payload))
}

// ParseUnsubscribe checks a token made by UnsubscribeToken and returns what
// it names.
func ParseUnsubscribe(secret []byte, token string) (playerID, kind string, err error) {
	payload, sig, ok := strings.Cut(token, ".")
	mac, merr := base64.RawURLEncoding.DecodeString(sig)
	if !ok || merr != nil || len(secret) == 0 || !hmac.Equal(mac, unsubscribeMAC(secret, payload)) {
		return "", "", ErrBadUnsubscribe
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return "", "", ErrBadUnsubscribe
	}
	playerID, kind, ok = strings.Cut(string(raw), "|")
	if !ok || playerID == "" || kind == "" {
		return "", "", ErrBadUnsubscribe
	}
	return playerID, kind, nil
}

// unsubscribeMAC is HMAC-SHA256 over a domain tag and the payload, so the
// key's other uses (JWTs) can never produce a valid token.
func unsubscribeMAC(secret []byte, payload string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("proofstell-unsubscribe\x00" + payload))
	return m.Sum(nil)
}

// NotificationText is the words of a notification mail, in its reader's
// language.
type NotificationText struct {
	// Greeting opens the mail ("Hi mole,").
	Greeting string
	// Title is the subject and the first line; Body follows.
	Title, Body string
	// Unsubscribe closes the mail; "{link}" in it stands for the one-click
	// link (appended when it has none).
	Unsubscribe string
}

// Notification mails one inbox notification with a one-click link that
// turns off email for its kind (token: UnsubscribeToken). The link goes
// straight to the API (PUBLIC_URL + /api/v1/notifications/unsubscribe),
// in the text and in the RFC 8058 headers (List-Unsubscribe and
// List-Unsubscribe-Post), so a mail client's own unsubscribe button POSTs
// to it.
func (l *Letters) Notification(to string, t NotificationText, unsubscribeToken string) Message {
	link := l.link("/api/v1/notifications/unsubscribe", unsubscribeToken)
	stop := t.Unsubscribe
	if !strings.Contains(stop, "{link}") {
		stop += " {link}"
	}
	return Message{To: to, Kind: KindNotification, Subject: t.Title,
		Text: fmt.Sprintf("%s\n\n%s\n\n%s\n\n%s\n", t.Greeting, t.Title, t.Body,
			strings.ReplaceAll(stop, "{link}", link)),
		Headers: [][2]string{{"List-Unsubscribe", "<" + link + ">"},
			{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}}
}
