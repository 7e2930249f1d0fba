package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/gateway/notices"
	"github.com/proofstell/proofstell/gateway/ws"
	"github.com/proofstell/proofstell/persistence"
)

// notificationMailer mails notifications through the account mail queue
// (bounded; a full queue drops the mail: the inbox keeps the notification),
// in the player's language (their last sign-in's, else the default). The
// unsubscribe token is signed with the JWT secret under its own domain tag
// (gateway/mail.UnsubscribeToken).
type notificationMailer struct {
	letters *mail.Letters
	queue   *mail.Queue
	secret  []byte
	texts   *nodeCatalogue
	logger  *slog.Logger
}

// MailNotification implements notifications.Mailer.
func (m notificationMailer) MailNotification(n persistence.Notification, to persistence.EmailRecipient) {
	if m.letters == nil || m.queue == nil {
		return
	}
	cat := m.texts.current()
	lang := to.Language
	if lang == "" {
		lang = cat.Default()
	}
	letter := m.letters.Notification(to.Email, notices.MailWords(cat, lang, n, to.Username),
		mail.UnsubscribeToken(m.secret, n.PlayerID, n.Kind))
	if err := m.queue.Enqueue(letter); err != nil {
		m.logger.Warn("notification mail", slog.String("kind", n.Kind), slog.Any("error", err))
	}
}

// nodeCatalogue is the node's translations outside REST (which keeps its
// own): notification mails and WebSocket error frames.
type nodeCatalogue struct {
	store persistence.TranslationStore
	cache i18n.Cache
}

// catalogueWait bounds a catalogue load: the source texts beat waiting.
const catalogueWait = time.Second

// current is the node's current catalogue, the last one when the store
// cannot answer, nil (the source texts) before any.
func (c *nodeCatalogue) current() *i18n.Catalogue {
	ctx, cancel := context.WithTimeout(context.Background(), catalogueWait)
	defer cancel()
	src, err := c.store.TranslationCatalogue(ctx)
	if err != nil {
		return c.cache.Last()
	}
	return c.cache.Of(src)
}

// socketTexts is ws.Deps.Texts: a connection speaks the language its
// handshake negotiated (leniently, like REST): error frames by code in the
// "errors" namespace, notification alerts through gateway/notices. A
// connection in the source language keeps the alerts' shared frames.
func (c *nodeCatalogue) socketTexts(query, acceptLanguage string) *ws.Texts {
	cat := c.current()
	lang := cat.Negotiate(query, acceptLanguage)
	t := &ws.Texts{Error: func(code, message string) string { return cat.Localize(lang, "errors", code, message) }}
	if lang != "" && lang != i18n.SourceLanguage {
		t.Alert = func(data []byte) []byte { return notices.LocalizeAlert(cat, lang, data) }
	}
	return t
}
