package gateway_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platformtest"
)

// publishEvent puts an event on its stream as the matching service would;
// msgID lets a test deliver the same event twice.
func (e *env) publishEvent(t *testing.T, ev events.Envelope, msgID string) {
	t.Helper()
	js, err := jetstream.New(e.NC)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	msg := &nats.Msg{Subject: ev.Type, Data: raw, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, msgID)
	if _, err := js.PublishMsg(context.Background(), msg); err != nil {
		t.Fatalf("publish %s: %v", ev.Type, err)
	}
}

func newEvent(t *testing.T, typ, subject string, version int64, payload any) events.Envelope {
	t.Helper()
	ev, err := events.New(matchingev.Source, typ, subject, version, payload)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func (e *env) settings(t *testing.T, token string, body any) apiidentity.NotificationSettings {
	t.Helper()
	r := e.do(t, "PUT", "/api/v1/notifications/settings", token, body)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT /notifications/settings %v = %d %s", body, r.Status, r.Body)
	}
	var s apiidentity.NotificationSettings
	r.JSON(t, &s)
	return s
}

func (e *env) waitNote(t *testing.T, token, code string) apiidentity.Notification {
	t.Helper()
	var found apiidentity.Notification
	platformtest.Eventually(t, 15*time.Second, func() error {
		r := e.do(t, "GET", "/api/v1/notifications/me", token, nil)
		var p apiidentity.NotificationPage
		r.JSON(t, &p)
		for _, n := range p.Items {
			if n.Code == code {
				found = n
				return nil
			}
		}
		return fmt.Errorf("no %s notification yet (%d entries)", code, len(p.Items))
	})
	return found
}

// A published round tells every applicant left without an offer, in the
// inbox and by e-mail in their language; the matched applicant's offer mail
// carries its deadline; a kind turned off sends no mail; and a redelivered
// event sends nothing twice.
func TestRoundResultAndOfferMails(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "starttls", Username: "gateway", Password: "mail-secret"})
	e := start(t, envOptions{config: func(c *gateway.Config) {
		withAdmin(c)
		c.SMTP = srv.Config()
		c.PublicURL = "https://tb.example.org"
	}, mail: []mail.SMTPOption{mail.WithTLSConfig(srv.ClientTLS())}})

	hana := e.signup(t, "hana@example.jp", "applicant")
	ravi := e.signup(t, "ravi@example.in", "applicant")
	mei := e.signup(t, "mei@example.jp", "applicant")
	tokHana := e.login(t, "hana@example.jp", goodPassword).AccessToken
	tokRavi := e.login(t, "ravi@example.in", goodPassword).AccessToken
	tokMei := e.login(t, "mei@example.jp", goodPassword).AccessToken

	if s := e.settings(t, tokHana, map[string]any{"language": "ja"}); s.Language != "ja" || !s.Email["results"] || !s.EmailEnabled {
		t.Fatalf("Hana's settings = %+v, want ja with every e-mail on", s)
	}
	if s := e.settings(t, tokRavi, map[string]any{"email": map[string]bool{"results": false}}); s.Email["results"] || !s.Email["offers"] || s.Language != "en" {
		t.Fatalf("Ravi's settings = %+v, want results off, the rest unchanged", s)
	}

	deadline := time.Date(2027, 3, 1, 11, 30, 0, 0, time.UTC)
	e.publishEvent(t, newEvent(t, events.MatchPublished, "m-1", 3, matchingev.MatchChanged{MatchID: "m-1", RoundID: "r-1",
		ApplicantID: mei.ID, ProgramID: "p-1", HostID: "h-1", Status: "published", RespondBy: deadline}), "m-1-3")
	// Ravi is listed before Hana: the consumer handles them in that order,
	// so once Hana's mail is there, Ravi's (absent) mail was decided.
	round := newEvent(t, events.RoundCompleted, "r-1", 5, matchingev.RoundCompleted{RoundID: "r-1", Name: "Spring 2027",
		ProgramIDs: []string{"p-1"}, Unmatched: 2, Run: 2, PublishedAt: time.Now().UTC(),
		UnmatchedApplicantIDs: []string{ravi.ID, hana.ID}})
	e.publishEvent(t, round, round.ID)

	got := srv.WaitFor(t, 20*time.Second, notice("hana@example.jp"))
	if got.Subject != "マッチングラウンド「Spring 2027」の結果" || !strings.Contains(got.Text, "残念ながら") ||
		!strings.Contains(got.Text, "https://tb.example.org/settings/notifications") {
		t.Errorf("Hana's mail = %q / %q, want the Japanese round result with the settings link", got.Subject, got.Text)
	}
	if !got.TLS || got.MessageID != "<"+mail.ID(round.ID, "hana@example.jp")+">" {
		t.Errorf("Hana's mail: TLS %v, Message-ID %s; want STARTTLS and the id of (event, recipient)", got.TLS, got.MessageID)
	}
	offer := srv.WaitFor(t, 20*time.Second, notice("mei@example.jp"))
	if !strings.Contains(offer.Text, "2027-03-01 17:00 IST") || !strings.Contains(offer.Text, "20:30 JST") ||
		!strings.Contains(offer.Text, "https://tb.example.org/offers") {
		t.Errorf("offer mail %q lacks the deadline in IST and JST or the link", offer.Text)
	}

	for _, c := range []struct {
		token, who string
	}{{tokHana, "Hana"}, {tokRavi, "Ravi"}} {
		n := e.waitNote(t, c.token, "round.unmatched")
		if n.Params["round"] != "Spring 2027" || n.Link == "" {
			t.Errorf("%s's notification = %+v, want the round named and a link", c.who, n)
		}
	}
	if n := e.waitNote(t, tokMei, "offer.received"); n.Params["respondBy"] != "2027-03-01T11:30:00Z" {
		t.Errorf("offer notification params = %v, want respondBy", n.Params)
	}

	// The same round event again, as a redelivery: no second mail.
	e.publishEvent(t, round, "again-"+round.ID)
	// A later mail to Hana shows the redelivery was handled before it.
	later := newEvent(t, events.RoundCompleted, "r-2", 3, matchingev.RoundCompleted{RoundID: "r-2", Name: "Autumn 2027",
		PublishedAt: time.Now().UTC(), UnmatchedApplicantIDs: []string{hana.ID}})
	e.publishEvent(t, later, later.ID)
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "Autumn 2027") })
	perRecipient := map[string]int{}
	for _, m := range notices(srv) {
		perRecipient[m.Rcpt[0]]++
	}
	if perRecipient["hana@example.jp"] != 2 || perRecipient["mei@example.jp"] != 1 || perRecipient["ravi@example.in"] != 0 {
		t.Errorf("mails per recipient = %v, want Hana 2 (two rounds, each once), Mei 1, Ravi 0 (results off)", perRecipient)
	}

	// A run that is not a publication tells nobody.
	run := newEvent(t, events.RoundCompleted, "r-3", 1, matchingev.RoundCompleted{RoundID: "r-3", Name: "Winter", Unmatched: 1})
	e.publishEvent(t, run, run.ID)

	// Erasure removes the stored mails with the account.
	n, err := e.DB.Collection("mails").CountDocuments(context.Background(), bson.D{{Key: "userId", Value: hana.ID}})
	// Two round results and the verification link of her sign-up.
	if err != nil || n != 3 {
		t.Fatalf("Hana's stored mails = %d (%v), want 3", n, err)
	}
	if r := e.do(t, "DELETE", "/api/v1/auth/me", tokHana, nil); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE /auth/me = %d %s", r.Status, r.Body)
	}
	platformtest.Eventually(t, 15*time.Second, func() error {
		for _, coll := range []string{"mails", "notifications"} {
			n, err := e.DB.Collection(coll).CountDocuments(context.Background(), bson.D{{Key: "userId", Value: hana.ID}})
			if err != nil || n != 0 {
				return fmt.Errorf("%d %s of the erased user remain (%v)", n, coll, err)
			}
		}
		n, err := e.DB.Collection("notify_settings").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: hana.ID}})
		if err != nil || n != 0 {
			return fmt.Errorf("settings of the erased user remain (%d, %v)", n, err)
		}
		return nil
	})
}

// A verified host is told by e-mail, in English by default.
func TestHostVerifiedMail(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	e := start(t, envOptions{config: func(c *gateway.Config) { withAdmin(c); c.SMTP = srv.Config() }})
	host := e.signup(t, "office@tohoku.example.jp", "host")
	_, coord := e.coordinator(t, "coord@talentbridge.example")
	if r := e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", coord.AccessToken, nil); r.Status != http.StatusOK {
		t.Fatalf("verify host = %d %s", r.Status, r.Body)
	}
	got := srv.WaitFor(t, 20*time.Second, notice("office@tohoku.example.jp"))
	if got.Subject != "Your organisation is verified on TalentBridge" || !strings.Contains(got.Text, "Hello Test host,") {
		t.Errorf("mail = %q / %q", got.Subject, got.Text)
	}
}

// The settings routes: who may call them and what they refuse.
func TestNotificationSettingsRoutes(t *testing.T) {
	e := start(t, envOptions{})
	e.signup(t, "asha@example.in", "applicant")
	tok := e.login(t, "asha@example.in", goodPassword).AccessToken
	r := e.do(t, "GET", "/api/v1/notifications/settings", tok, nil)
	var s apiidentity.NotificationSettings
	r.JSON(t, &s)
	if r.Status != http.StatusOK || s.Language != "en" || len(s.Email) != 7 || s.EmailEnabled {
		t.Fatalf("GET settings = %d %+v, want defaults (en, 7 kinds on) and e-mail off on this platform", r.Status, s)
	}
	for _, c := range []struct {
		body  string
		field string
	}{
		{`{"language":"fr"}`, `"field":"language"`},
		{`{"email":{"spam":true}}`, `"field":"email.spam"`},
		{`{"email":{"results":"no"}}`, `"field":"email"`},
		{`{"language":"ja","role":"admin"}`, `role`},
	} {
		r := e.do(t, "PUT", "/api/v1/notifications/settings", tok, c.body, "Content-Type", "application/json")
		if r.Status < 400 || r.Status >= 500 || !strings.Contains(string(r.Body), c.field) {
			t.Errorf("PUT %s = %d %s, want a 4xx naming %s", c.body, r.Status, r.Body, c.field)
		}
	}
	if r := e.do(t, "GET", "/api/v1/notifications/settings", tok, nil); !strings.Contains(string(r.Body), `"language":"en"`) {
		t.Errorf("a refused change was stored: %s", r.Body)
	}
	if r := e.do(t, "PUT", "/api/v1/notifications/settings", tok, `language=ja`, "Content-Type", "text/plain"); r.Status != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain PUT = %d, want 415", r.Status)
	}
	if r := e.do(t, "GET", "/api/v1/notifications/settings", "", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous GET settings = %d, want 401", r.Status)
	}
}

// /readyz does not wait for the mail server: with TB_SMTP_ADDR pointing at
// a port nobody listens on, the gateway starts and is ready.
func TestReadyWithoutMailServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	_ = ln.Close()
	e := start(t, envOptions{config: func(c *gateway.Config) {
		c.SMTP = mailtest.Start(t, mailtest.Options{}).Config()
		c.SMTP.Addr = dead
	}})
	if r := e.do(t, "GET", "/readyz", "", nil); r.Status != http.StatusOK {
		t.Fatalf("/readyz = %d %s with the mail server down, want 200", r.Status, r.Body)
	}
}
