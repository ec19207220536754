package notify

import (
	"context"
	"fmt"
	netmail "net/mail"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/notify/mailtext"
	"github.com/talentbridge/platform/shared/mail"
)

var _ app.AccountMailer = (*Inbox)(nil)

// Enabled reports whether e-mail is configured (app.AccountMailer).
func (in *Inbox) Enabled() bool { return in.mailEnabled() }

// SendAccountMail queues a mail about the account itself: the link to
// verify the address or to choose a new password. Unlike notifications it
// goes out whatever the user turned off, in m.Lang or else the user's
// chosen language. The queue keeps one mail per m.Key (a token's hash) and
// recipient.
func (in *Inbox) SendAccountMail(ctx context.Context, m app.AccountMail) error {
	if !in.mailEnabled() {
		return mail.ErrDisabled
	}
	lang := m.Lang
	if lang == "" {
		st, err := in.settingsOf(ctx, m.UserID)
		if err != nil {
			return err
		}
		lang = st.Language
	}
	subject, text, err := in.texts.Render(lang, m.Code, mailtext.Params{
		Name: m.Name, Link: in.absolute(m.Path), Settings: in.absolute("/settings/notifications"),
	})
	if err != nil {
		return fmt.Errorf("word mail %s: %w", m.Code, err)
	}
	to := (&netmail.Address{Name: m.Name, Address: m.Email}).String()
	key := "link:" + m.Key
	return in.opt.Mail.Enqueue(ctx, key, m.UserID, mail.Message{To: to, Subject: subject, Text: text,
		MessageID: mail.ID(key, m.Email)})
}
