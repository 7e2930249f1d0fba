// Package notices renders stored notifications (actors/notifications) in
// a reader's language: the inbox over REST (gateway/rest) and the mails
// (cmd's mailer). A notification's data names its text (data.text) and
// carries the details that fill it; the texts are translations in the
// actors/notifications.TextNamespace namespace, so a notification stored
// once in English reads in any language the catalogue speaks.
package notices
