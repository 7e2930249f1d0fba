package main

import (
	"log/slog"

	"github.com/proofstell/proofstell/gateway/mail"
	"github.com/proofstell/proofstell/persistence"
)

// notificationMailer mails notifications through the account mail queue
// (bounded; a full queue drops the mail: the inbox keeps the notification).
// The unsubscribe token is signed with the JWT secret under its own
// domain tag (gateway/mail.UnsubscribeToken).
type notificationMailer struct {
	letters *mail.Letters
	queue   *mail.Queue
	secret  []byte
	logger  *slog.Logger
}

// MailNotification implements notifications.Mailer.
func (m notificationMailer) MailNotification(n persistence.Notification, to persistence.EmailRecipient) {
	if m.letters == nil || m.queue == nil {
		return
	}
	letter := m.letters.Notification(to.Email, to.Username, n.Title, n.Body,
		mail.UnsubscribeToken(m.secret, n.PlayerID, n.Kind))
	if err := m.queue.Enqueue(letter); err != nil {
		m.logger.Warn("notification mail", slog.String("kind", n.Kind), slog.Any("error", err))
	}
}
