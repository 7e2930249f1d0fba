package notices_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/gateway/notices"
	"github.com/proofstell/proofstell/persistence"
)

func catalogue() *i18n.Catalogue {
	return i18n.New("en", []i18n.Language{{Code: "en", Active: true, Default: true}, {Code: "es", Active: true}},
		[]i18n.Entry{
			{Namespace: "notifications", Key: "badge.awarded.title", Language: "es", Text: "Insignia obtenida: {name}"},
			{Namespace: "notifications", Key: "badge.awarded.body", Language: "es", Text: "Tu insignia {name} ({rarity})."},
			{Namespace: "notifications", Key: "mail.greeting", Language: "es", Text: "Hola, {username}:"},
			{Namespace: "badges", Key: "first-game.name", Language: "es", Text: "Primer golpe"},
		})
}

func TestLocalize(t *testing.T) {
	t.Parallel()
	award := persistence.Notification{Title: "Badge earned: First Whack", Body: "You earned the common badge First Whack.",
		Data: []byte(`{"text":"badge.awarded","slug":"first-game","name":"First Whack","rarity":"common"}`)}
	broadcast := persistence.Notification{Title: "Maintenance", Body: "at noon", Data: []byte(`{"broadcastId":"1"}`)}
	for _, tc := range []struct {
		lang        string
		n           persistence.Notification
		title, body string
	}{
		{"en", award, award.Title, award.Body},
		{"es", award, "Insignia obtenida: Primer golpe", "Tu insignia Primer golpe (common)."},
		{"es", broadcast, "Maintenance", "at noon"},
	} {
		title, body := notices.Localize(catalogue(), tc.lang, tc.n)
		require.Equal(t, tc.title, title, tc.lang)
		require.Equal(t, tc.body, body, tc.lang)
	}
}

func TestMailWords(t *testing.T) {
	t.Parallel()
	n := persistence.Notification{Title: "Badge earned: X", Body: "b", Data: []byte(`{"text":"badge.awarded","name":"X","rarity":"rare"}`)}
	es := notices.MailWords(catalogue(), "es", n, "topo")
	require.Equal(t, "Hola, topo:", es.Greeting)
	require.Equal(t, "Insignia obtenida: X", es.Title)
	require.Equal(t, "Stop these mails: {link}", es.Unsubscribe, "no Spanish line: the default's, then English")
	en := notices.MailWords(nil, "", n, "mole")
	require.Equal(t, "Hi mole,", en.Greeting)
	require.Equal(t, "Badge earned: X", en.Title)
}

func TestLocalizeAlert(t *testing.T) {
	t.Parallel()
	alert := []byte(`{"id":"n1","kind":"badge.awarded","title":"Badge earned: First Whack","body":"b",` +
		`"data":{"text":"badge.awarded","slug":"first-game","name":"First Whack","rarity":"common"},` +
		`"createdAt":"2026-12-06T10:00:00Z"}`)
	got := notices.LocalizeAlert(catalogue(), "es", alert)
	require.JSONEq(t, `{"id":"n1","kind":"badge.awarded","title":"Insignia obtenida: Primer golpe",`+
		`"body":"Tu insignia Primer golpe (common).",`+
		`"data":{"text":"badge.awarded","slug":"first-game","name":"First Whack","rarity":"common"},`+
		`"createdAt":"2026-12-06T10:00:00Z"}`, string(got))
	require.Equal(t, []byte("nope"), notices.LocalizeAlert(catalogue(), "es", []byte("nope")))
}
