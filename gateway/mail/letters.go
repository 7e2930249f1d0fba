package mail

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Letter kinds, for logs and metrics.
const (
	KindVerification  = "verification"
	KindPasswordReset = "password_reset"
	KindAccountExists = "account_exists"
)

// Letters writes the account mails. Links point at the web client under
// config.HTTP.PublicURL: /verify-email?token=… and /reset-password?token=…;
// the client posts the token to the matching /api/v1/auth route.
type Letters struct {
	base *url.URL
}

// NewLetters returns Letters whose links start at publicURL (PUBLIC_URL).
func NewLetters(publicURL string) (*Letters, error) {
	u, err := url.Parse(publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mail links: public url %q must be an absolute http(s) url", publicURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return &Letters{base: u}, nil
}

// link is base + path with the token as its query.
func (l *Letters) link(path, token string) string {
	u := *l.base
	u.Path += path
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

// Verification asks the owner of to to confirm the address.
func (l *Letters) Verification(to, username, token string, ttl time.Duration) Message {
	return Message{To: to, Kind: KindVerification, Subject: "Confirm your ProofStell email",
		Text: fmt.Sprintf("Hi %s,\n\nconfirm this address for your ProofStell account:\n\n%s\n\n"+
			"The link works once and expires in %s. If you did not sign up, ignore this mail.\n",
			username, l.link("/verify-email", token), ttl)}
}

// PasswordReset lets the owner of to choose a new password.
func (l *Letters) PasswordReset(to, username, token string, ttl time.Duration) Message {
	return Message{To: to, Kind: KindPasswordReset, Subject: "Reset your ProofStell password",
		Text: fmt.Sprintf("Hi %s,\n\nchoose a new password for your ProofStell account:\n\n%s\n\n"+
			"The link works once and expires in %s. If you did not ask for this, ignore this mail: "+
			"your password stays the same.\n", username, l.link("/reset-password", token), ttl)}
}

// AccountExists tells the owner of to that someone tried to register the
// address again; the API answered as for a new registration, so only the
// mailbox owner learns the account exists.
func (l *Letters) AccountExists(to, username string) Message {
	return Message{To: to, Kind: KindAccountExists, Subject: "Your ProofStell account",
		Text: fmt.Sprintf("Hi %s,\n\nsomeone tried to create a ProofStell account with this address, "+
			"which already has one. To sign in without your password, reset it here:\n\n%s\n\n"+
			"If this was not you, ignore this mail.\n", username, l.base.String()+"/forgot-password")}
}
