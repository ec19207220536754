// Package mail sends e-mail for the services: a Message, a Sender (SMTP
// through github.com/wneessen/go-mail, or Disabled when TB_SMTP_ADDR is
// empty) and a Queue that delivers each message once per event and
// recipient (see Queue).
//
// The package holds no wording: the service that owns a notification
// writes its subject and text in the recipient's language and hands over a
// finished Message.
//
// Typical use:
//
//	sender, err := mail.NewSender(cfg.SMTP)        // config.SMTP, from TB_SMTP_*
//	q, err := mail.NewQueue(ctx, db.Collection("mails"), sender, mail.QueueOptions{Logger: log})
//	go q.Run(ctx)                                  // the relay
//	err = q.Enqueue(ctx, ev.ID, userID, mail.Message{To: addr, Subject: s, Text: body})
package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/talentbridge/platform/shared/config"
)

// Config is the TB_SMTP_* settings (config.SMTP), repeated here so a
// service that only sends mail needs one import.
type Config = config.SMTP

// Message is one finished e-mail to one recipient.
type Message struct {
	// To is the recipient's address ("name <addr>" or a bare address).
	To      string
	Subject string
	// Text is the plain-text body; always required, since it is what a
	// reader without HTML sees.
	Text string
	// HTML is an optional alternative body.
	HTML string
	// MessageID is the Message-ID header without its angle brackets. Build
	// it with ID(eventID, recipient) so a resent copy carries the same id
	// and the recipient's mail client can tell it is the same message. The
	// Queue fills it when it is empty.
	MessageID string
}

// ID returns the stable Message-ID (without angle brackets) of the mail
// that event eventID causes for recipient: the same inputs always give the
// same id, and different ones never share it in practice (a SHA-256 prefix).
func ID(eventID, recipient string) string {
	sum := sha256.Sum256([]byte(eventID + "\x00" + strings.ToLower(strings.TrimSpace(recipient))))
	return hex.EncodeToString(sum[:16]) + "@talentbridge.mail"
}

// Validate checks that a message can be sent.
func (m Message) Validate() error {
	var errs []error
	if _, err := mail.ParseAddress(m.To); err != nil {
		errs = append(errs, fmt.Errorf("mail: recipient %q is not an address: %v", m.To, err))
	}
	if strings.TrimSpace(m.Subject) == "" {
		errs = append(errs, errors.New("mail: subject is empty"))
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		errs = append(errs, errors.New("mail: subject contains a line break"))
	}
	if strings.TrimSpace(m.Text) == "" {
		errs = append(errs, errors.New("mail: text body is empty"))
	}
	if m.MessageID == "" || strings.ContainsAny(m.MessageID, "<>\r\n ") || !strings.Contains(m.MessageID, "@") {
		errs = append(errs, fmt.Errorf("mail: message id %q must look like left@right, without brackets", m.MessageID))
	}
	return errors.Join(errs...)
}

// Sender delivers one message. Implementations must be safe for concurrent
// use.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrDisabled is what the Disabled sender answers.
var ErrDisabled = errors.New("mail: e-mail is not configured (TB_SMTP_ADDR is empty)")

// Disabled is the sender used when TB_SMTP_ADDR is empty: it sends nothing
// and says so. A Queue over it stores nothing.
type Disabled struct{}

// Send answers ErrDisabled.
func (Disabled) Send(context.Context, Message) error { return ErrDisabled }

// IsDisabled reports whether s is the Disabled sender.
func IsDisabled(s Sender) bool {
	_, off := s.(Disabled)
	return s == nil || off
}

// NewSender returns the SMTP sender for cfg, or Disabled when cfg.Addr is
// empty. cfg is validated first.
func NewSender(cfg Config, opts ...SMTPOption) (Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	if !cfg.Enabled() {
		return Disabled{}, nil
	}
	return NewSMTP(cfg, opts...)
}
