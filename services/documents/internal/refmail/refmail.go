// Package refmail writes and queues the e-mail that carries a referee's
// one-time upload link, in the language the applicant chose for the
// referee (en, ja or hi), through the shared mail queue: one mail per
// reference.requested event and referee, resent at most once after a
// crash between the send and its mark (see shared/mail.Queue).
//
// The queued mail holds the link, and so the token, until it is sent; the
// queue then drops the body. That is the only place the token exists
// outside the referee's mailbox: the references collection keeps its hash.
package refmail

import (
	"context"
	"fmt"
	"strings"

	"github.com/talentbridge/platform/services/documents/internal/app"
	"github.com/talentbridge/platform/services/documents/internal/domain"
	"github.com/talentbridge/platform/shared/mail"
)

// Mailer queues referee mails.
type Mailer struct {
	Queue *mail.Queue
	// PublicURL is the site's address, for the absolute link.
	PublicURL string
}

var _ app.Mailer = (*Mailer)(nil)

// wording is one language's mail.
type wording struct {
	subject, body string
}

// texts hold each language's subject and body; the body takes the
// referee's name, the relation, the link and the deadline (in that order).
var texts = map[string]wording{
	"en": {"A reference letter has been requested from you",
		"Dear %s,\n\nAn applicant on TalentBridge has asked you, as their %s, for a reference letter.\n\n" +
			"You can upload it, as a PDF, PNG or JPEG file of at most 10 MiB, without an account at:\n%s\n\n" +
			"The link works once and until %s (UTC). If you do not know the applicant, ignore this e-mail.\n\n— TalentBridge\n"},
	"ja": {"推薦状のご依頼",
		"%s 様\n\nTalentBridge の応募者から、%s として推薦状のご依頼がありました。\n\n" +
			"アカウントは不要です。次のリンクから PDF・PNG・JPEG（10 MiB まで）でアップロードしてください。\n%s\n\n" +
			"リンクは一度だけ、%s（UTC）まで有効です。お心当たりがない場合は、このメールを破棄してください。\n\n— TalentBridge\n"},
	"hi": {"आपसे एक संदर्भ पत्र का अनुरोध किया गया है",
		"प्रिय %s,\n\nTalentBridge पर एक आवेदक ने आपसे, उनके %s के रूप में, संदर्भ पत्र का अनुरोध किया है।\n\n" +
			"आप बिना खाते के इसे PDF, PNG या JPEG फ़ाइल (अधिकतम 10 MiB) के रूप में यहाँ अपलोड कर सकते हैं:\n%s\n\n" +
			"यह लिंक केवल एक बार और %s (UTC) तक काम करता है। यदि आप आवेदक को नहीं जानते, तो इस ई-मेल को अनदेखा करें।\n\n— TalentBridge\n"},
}

// Compose writes the mail of reference r with link (a path on the site).
func (m *Mailer) Compose(r *domain.Reference, link string) mail.Message {
	w, ok := texts[r.Language]
	if !ok {
		w = texts["en"]
	}
	url := strings.TrimRight(m.PublicURL, "/") + link
	return mail.Message{To: r.RefereeEmail, Subject: w.subject,
		Text: fmt.Sprintf(w.body, r.RefereeName, r.Relation, url, r.ExpiresAt.UTC().Format("2006-01-02 15:04"))}
}

// RefereeLink implements app.Mailer: one mail per request event.
func (m *Mailer) RefereeLink(ctx context.Context, eventID string, r *domain.Reference, link string) error {
	if !m.Queue.Enabled() {
		return mail.ErrDisabled
	}
	if err := m.Queue.Enqueue(ctx, eventID, r.ApplicantID, m.Compose(r, link)); err != nil {
		return fmt.Errorf("queue referee mail: %w", err)
	}
	return nil
}

// Forget implements app.Mailer: the applicant's queued referee mails go
// with the rest of their data.
func (m *Mailer) Forget(ctx context.Context, applicantID string) error {
	return m.Queue.Forget(ctx, applicantID)
}
