package notify

import (
	"context"
	"fmt"
	"log/slog"
	"mime"
	netmail "net/mail"
	"net/url"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/talentbridge/platform/services/gateway/internal/notify/mailtext"
	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/mail"
)

// Contact is what a mail needs of its recipient.
type Contact struct {
	Email string
	Name  string
}

// Directory finds a user's address; ok is false for an unknown (or erased)
// account. The gateway's account store answers it.
type Directory interface {
	Contact(ctx context.Context, userID string) (c Contact, ok bool, err error)
}

// DirectoryFunc adapts a function to Directory.
type DirectoryFunc func(ctx context.Context, userID string) (Contact, bool, error)

// Contact calls f.
func (f DirectoryFunc) Contact(ctx context.Context, userID string) (Contact, bool, error) {
	return f(ctx, userID)
}

// Options connect the inbox to e-mail. With Mail nil (or a queue over the
// disabled sender) notifications stay in the inbox only.
type Options struct {
	Mail      *mail.Queue
	Directory Directory
	// PublicURL is the site's address as users reach it, for the links in
	// e-mails (default http://localhost:8080).
	PublicURL string
	Now       func() time.Time
	// ReminderEvery is how often RunReminders looks for interviews a day
	// away (default a minute); Log hears about its failures.
	ReminderEvery time.Duration
	Log           *slog.Logger
	// Coordinators lists the ids of the active coordinators, who hear of
	// every host waiting for verification; nil tells nobody.
	Coordinators func(ctx context.Context) ([]string, error)
}

// mailParams carries what a notification's mail says beyond its code.
type mailParams struct {
	Program  string
	Round    string
	Deadline time.Time
	// Stage and Reason are a review stage and pass reason code; Sender
	// names a message's writer.
	Stage, Reason, Sender string
	// Host names a host's organisation; Note is a coordinator's own words.
	Host, Note string
}

func (in *Inbox) mailEnabled() bool { return in.opt.Mail != nil && in.opt.Mail.Enabled() }

// mail queues the e-mail of a notification when its code has one, e-mail
// is configured, and the recipient has not turned that kind off. The queue
// keys it by (event, recipient), so a redelivered event queues nothing
// twice.
func (in *Inbox) mail(ctx context.Context, ev events.Envelope, userID, code, link string, p mailParams) error {
	kind, ok := mailKind[code]
	if !ok || !in.mailEnabled() || in.opt.Directory == nil {
		return nil
	}
	st, err := in.settingsOf(ctx, userID)
	if err != nil {
		return err
	}
	for _, off := range st.EmailOff {
		if off == kind {
			return nil
		}
	}
	who, found, err := in.opt.Directory.Contact(ctx, userID)
	if err != nil || !found || who.Email == "" {
		return err
	}
	subject, text, err := in.texts.Render(st.Language, code, mailtext.Params{
		Name: who.Name, Program: p.Program, Round: p.Round, Deadline: p.Deadline,
		Link: in.absolute(link), Settings: in.absolute("/settings/notifications"),
		Stage: p.Stage, Reason: p.Reason, Sender: p.Sender, Host: p.Host, Note: p.Note,
	})
	if err != nil {
		return fmt.Errorf("word mail %s: %w", code, err)
	}
	to := (&netmail.Address{Name: who.Name, Address: who.Email}).String()
	return in.opt.Mail.Enqueue(ctx, ev.ID, userID, mail.Message{To: to, Subject: subject, Text: text,
		MessageID: mail.ID(ev.ID, who.Email)})
}

// absolute makes a site path into a URL users can open from a mail.
func (in *Inbox) absolute(path string) string {
	if path == "" {
		return ""
	}
	if u, err := url.Parse(path); err == nil && u.IsAbs() {
		return path
	}
	return strings.TrimRight(in.opt.PublicURL, "/") + "/" + strings.TrimLeft(path, "/")
}

func upsert() options.Lister[options.UpdateOneOptions] { return options.UpdateOne().SetUpsert(true) }

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}
