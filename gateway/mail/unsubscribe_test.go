package mail_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/mail"
)

func TestUnsubscribeToken_RoundTripsAndRefusesForgeries(t *testing.T) {
	t.Parallel()
	secret := []byte("0123456789abcdef0123456789abcdef")
	tok := mail.UnsubscribeToken(secret, "p1", "badge.awarded")
	p, k, err := mail.ParseUnsubscribe(secret, tok)
	require.NoError(t, err)
	require.Equal(t, []string{"p1", "badge.awarded"}, []string{p, k})
	other := mail.UnsubscribeToken(secret, "p2", "badge.awarded")
	payload, _, _ := strings.Cut(tok, ".")
	_, sig, _ := strings.Cut(other, ".")
	for _, bad := range []string{"", "x", payload + "." + sig, tok + "x", payload} {
		_, _, err := mail.ParseUnsubscribe(secret, bad)
		require.ErrorIs(t, err, mail.ErrBadUnsubscribe, bad)
	}
	_, _, err = mail.ParseUnsubscribe([]byte("another-secret"), tok)
	require.ErrorIs(t, err, mail.ErrBadUnsubscribe)
}

func TestLetters_Notification_LinksToUnsubscribe(t *testing.T) {
	t.Parallel()
	l, err := mail.NewLetters("https://play.example/")
	require.NoError(t, err)
	m := l.Notification("a@b.co", mail.NotificationText{Greeting: "Hola, mole:", Title: "Insignia obtenida",
		Body: "La obtuviste.", Unsubscribe: "Dejar de recibir estos correos: {link}"}, "tok.sig")
	require.Equal(t, mail.KindNotification, m.Kind)
	link := "https://play.example/api/v1/notifications/unsubscribe?token=tok.sig"
	require.Equal(t, "Hola, mole:\n\nInsignia obtenida\n\nLa obtuviste.\n\nDejar de recibir estos correos: "+link+"\n", m.Text)
	require.Equal(t, [][2]string{{"List-Unsubscribe", "<" + link + ">"},
		{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}, m.Headers, "RFC 8058 one-click")
}
