package notices

import (
	"encoding/json"

	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/internal/placeholders"
	"github.com/proofstell/proofstell/persistence"
)

// English sources of the mail's own words ("mail.greeting" and
// "mail.unsubscribe" in the notifications namespace).
const (
	mailGreeting    = "Hi {username},"
	mailUnsubscribe = "Stop these mails: {link}"
)

// Localize renders a stored notification's title and body in lang:
// data.text names the texts, its other fields fill them, a badge's name
// (data.slug) in lang too. Without data.text (an admin's broadcast, whose
// words are the admin's) or a translation, the stored texts stand.
func Localize(cat *i18n.Catalogue, lang string, n persistence.Notification) (title, body string) {
	params := placeholders.Params(n.Data)
	text := params["text"]
	if text == "" {
		return n.Title, n.Body
	}
	if slug := params["slug"]; slug != "" {
		params["name"] = cat.Localize(lang, "badges", slug+".name", params["name"])
	}
	ns := notifications.TextNamespace
	return placeholders.Fill(cat.Localize(lang, ns, text+".title", n.Title), params),
		placeholders.Fill(cat.Localize(lang, ns, text+".body", n.Body), params)
}

// MailWords are the words of n's mail to username in lang: the greeting,
// the localized title and body, and the line of the unsubscribe link
// ("{link}" stands for it).
func MailWords(cat *i18n.Catalogue, lang string, n persistence.Notification, username string) mail.NotificationText {
	title, body := Localize(cat, lang, n)
	ns := notifications.TextNamespace
	return mail.NotificationText{Title: title, Body: body,
		Greeting:    placeholders.Fill(cat.Localize(lang, ns, "mail.greeting", mailGreeting), map[string]string{"username": username}),
		Unsubscribe: cat.Localize(lang, ns, "mail.unsubscribe", mailUnsubscribe)}
}

// LocalizeAlert renders a notification:alert payload (notifications.Alert)
// in lang; a payload that does not decode is returned as it came.
func LocalizeAlert(cat *i18n.Catalogue, lang string, data []byte) []byte {
	var a notifications.Alert
	if json.Unmarshal(data, &a) != nil {
		return data
	}
	a.Title, a.Body = Localize(cat, lang, persistence.Notification{Title: a.Title, Body: a.Body, Data: a.Data})
	out, err := json.Marshal(a)
	if err != nil {
		return data
	}
	return out
}
