package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/proofstell/proofstell/actors/notifications"
	"github.com/proofstell/proofstell/gateway/i18n"
	"github.com/proofstell/proofstell/gateway/mail"
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
	texts   persistence.TranslationStore
	cache   *i18n.Cache
	logger  *slog.Logger
}

// catalogueWait bounds a catalogue load for a mail: English beats no mail.
const catalogueWait = time.Second

// MailNotification implements notifications.Mailer.
func (m notificationMailer) MailNotification(n persistence.Notification, to persistence.EmailRecipient) {
	if m.letters == nil || m.queue == nil {
		return
	}
	cat := m.catalogue()
	lang := to.Language
	if lang == "" {
		lang = cat.Default()
	}
	letter := m.letters.Notification(to.Email, notifications.MailWords(cat, lang, n, to.Username),
		mail.UnsubscribeToken(m.secret, n.PlayerID, n.Kind))
	if err := m.queue.Enqueue(letter); err != nil {
		m.logger.Warn("notification mail", slog.String("kind", n.Kind), slog.Any("error", err))
	}
}

// catalogue is the node's current catalogue, the last one when the store
// cannot answer, nil (English) before any.
func (m notificationMailer) catalogue() *i18n.Catalogue {
	ctx, cancel := context.WithTimeout(context.Background(), catalogueWait)
	defer cancel()
	src, err := m.texts.TranslationCatalogue(ctx)
	if err != nil {
		return m.cache.Last()
	}
	return m.cache.Of(src)
}
