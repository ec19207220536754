package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/platformtest"
)

func (e *env) noteCodes(t *testing.T, token string) []string {
	t.Helper()
	r := e.do(t, "GET", "/api/v1/notifications/me", token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /notifications/me = %d %s", r.Status, r.Body)
	}
	var p apiidentity.NotificationPage
	r.JSON(t, &p)
	var out []string
	for _, n := range p.Items {
		out = append(out, n.Code)
	}
	slices.Sort(out)
	return out
}

// The review events reach the inbox and the mailbox: a pass tells the
// applicant the stage and reason in Japanese, an interview booking and its
// cancellation tell both sides, a booking less than a day ahead is
// reminded once, and a host's message names the host and links to the
// thread without its body. A recipient with message e-mails off gets the
// notification only, and redelivered events send nothing twice.
func TestReviewEventsNotifyAndMail(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	e := start(t, envOptions{config: func(c *gateway.Config) {
		c.SMTP = srv.Config()
		c.PublicURL = "https://tb.example.org"
	}})
	hana := e.signup(t, "hana@example.jp", "applicant")
	ravi := e.signup(t, "ravi@example.in", "applicant")
	host := e.signup(t, "office@tohoku.example.jp", "host")
	tokHana := e.login(t, "hana@example.jp", goodPassword).AccessToken
	tokRavi := e.login(t, "ravi@example.in", goodPassword).AccessToken
	tokHost := e.login(t, "office@tohoku.example.jp", goodPassword).AccessToken
	e.settings(t, tokHana, map[string]any{"language": "ja"})
	e.settings(t, tokRavi, map[string]any{"email": map[string]bool{"messages": false}})

	prog := newEvent(t, events.ProgramPublished, "p-1", 1, programsev.ProgramPublished{Program: programsev.Program{
		ID: "p-1", HostID: host.ID, Title: "Tohoku Summer Lab"}})
	e.publishEvent(t, prog, prog.ID)
	platformtest.Eventually(t, 15*time.Second, func() error {
		n, err := e.DB.Collection("notify_programs").CountDocuments(context.Background(), bson.D{{Key: "_id", Value: "p-1"}})
		if err != nil || n != 1 {
			return fmt.Errorf("program not known yet (%d, %v)", n, err)
		}
		return nil
	})

	now := time.Now().UTC().Truncate(time.Minute)
	slot := func(start time.Time) matchingev.Interview {
		return matchingev.Interview{SlotID: "s-1", Start: start, End: start.Add(30 * time.Minute), Mode: "online"}
	}
	booking := func(start time.Time) matchingev.InterviewScheduled {
		return matchingev.InterviewScheduled{ApplicationID: "a-2", ApplicantID: ravi.ID, ProgramID: "p-1", HostID: host.ID,
			Interview: slot(start), ActorID: ravi.ID, At: now}
	}
	evs := []events.Envelope{
		newEvent(t, events.ApplicationStaged, "a-1", 3, matchingev.ApplicationStaged{ApplicationID: "a-1", ApplicantID: hana.ID,
			ProgramID: "p-1", HostID: host.ID, Stage: matchingev.StageNotShortlisted, Previous: matchingev.StageReviewing,
			ReasonCode: matchingev.PassSeatsFilled, ActorID: host.ID, ActorRole: "host", At: now}),
		newEvent(t, events.InterviewScheduled, "a-2", 3, booking(now.Add(72*time.Hour))),
		newEvent(t, events.InterviewCancelled, "a-2", 4, booking(now.Add(72*time.Hour))),
		// Booked again, now less than a day ahead: reminded at once.
		newEvent(t, events.InterviewScheduled, "a-2", 6, booking(now.Add(23*time.Hour))),
		newEvent(t, events.MessageSent, "msg-1", 1, matchingev.MessageSent{MessageID: "msg-1", ApplicationID: "a-1", ProgramID: "p-1",
			SenderID: host.ID, SenderRole: "host", RecipientIDs: []string{hana.ID, ravi.ID, host.ID}, At: now}),
	}
	for _, ev := range evs {
		e.publishEvent(t, ev, ev.ID)
	}

	staged := srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "hana@example.jp" && strings.Contains(m.Text, "選外")
	})
	if !strings.Contains(staged.Text, "理由: プログラムの枠はすでに埋まっています。") ||
		!strings.Contains(staged.Text, "https://tb.example.org/applications/a-1") {
		t.Errorf("Hana's stage mail = %q, want the reason in Japanese and the application's link", staged.Text)
	}
	msg := srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "hana@example.jp" && strings.Contains(m.Text, "Test host さんが")
	})
	if !strings.Contains(msg.Text, "https://tb.example.org/applications/a-1?program=p-1") || !strings.Contains(msg.Subject, "Tohoku Summer Lab") {
		t.Errorf("Hana's message mail = %q / %q, want the program and the thread's link", msg.Subject, msg.Text)
	}
	reminder := srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "ravi@example.in" && strings.HasPrefix(m.Subject, "Reminder:")
	})
	start := now.Add(23 * time.Hour)
	if !strings.Contains(reminder.Text, start.In(time.FixedZone("IST", 19800)).Format("2006-01-02 15:04 IST")) {
		t.Errorf("reminder %q lacks the start in IST", reminder.Text)
	}
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool {
		return m.Rcpt[0] == "office@tohoku.example.jp" && strings.HasPrefix(m.Subject, "Reminder:")
	})

	// Every event again, as redeliveries; then one more message to Hana,
	// whose mail shows the redeliveries were handled before it.
	for _, ev := range evs {
		e.publishEvent(t, ev, "again-"+ev.ID)
	}
	last := newEvent(t, events.MessageSent, "msg-2", 1, matchingev.MessageSent{MessageID: "msg-2", ApplicationID: "a-1", ProgramID: "p-1",
		SenderID: host.ID, SenderRole: "host", RecipientIDs: []string{hana.ID}, At: now})
	e.publishEvent(t, last, last.ID)
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool { return m.MessageID == "<"+mail.ID(last.ID, "hana@example.jp")+">" })

	perRecipient := map[string][]string{}
	for _, m := range notices(srv) {
		perRecipient[m.Rcpt[0]] = append(perRecipient[m.Rcpt[0]], m.Subject)
	}
	// Hana: the pass and two messages. Ravi: booked, cancelled, booked,
	// reminder (messages off). The host: the same four, never their own
	// message.
	for addr, want := range map[string]int{"hana@example.jp": 3, "ravi@example.in": 4, "office@tohoku.example.jp": 4} {
		if len(perRecipient[addr]) != want {
			t.Errorf("%s got %d mails %q, want %d", addr, len(perRecipient[addr]), perRecipient[addr], want)
		}
	}

	for _, c := range []struct {
		who, token string
		want       []string
	}{
		{"Hana", tokHana, []string{"application.staged", "message.sent", "message.sent"}},
		{"Ravi", tokRavi, []string{"interview.cancelled", "interview.reminder", "interview.scheduled", "interview.scheduled", "message.sent"}},
		{"the host", tokHost, []string{"interview.cancelled.host", "interview.reminder.host", "interview.scheduled.host", "interview.scheduled.host"}},
	} {
		if got := e.noteCodes(t, c.token); !slices.Equal(got, c.want) {
			t.Errorf("%s's inbox = %v, want %v", c.who, got, c.want)
		}
	}

	// The inbox entries do not name the writer: they are kept under the
	// recipient, out of reach of the writer's erasure.
	if r := e.do(t, "GET", "/api/v1/notifications/me", tokHana, nil); strings.Contains(string(r.Body), "Test host") {
		t.Errorf("Hana's inbox names the writer of a message: %s", r.Body)
	}

	// Ravi's export lists the booking the gateway keeps for its reminder.
	req, _ := json.Marshal(profilesev.ExportRequest{UserID: ravi.ID})
	msgExp, err := e.NC.RequestWithContext(t.Context(), profilesev.ExportSubject(profilesev.ServiceIdentity), req)
	if err != nil {
		t.Fatal(err)
	}
	var part profilesev.ExportPart
	if err := json.Unmarshal(msgExp.Data, &part); err != nil {
		t.Fatal(err)
	}
	var data struct {
		Interviews []struct {
			ApplicationID string    `json:"applicationId"`
			Start         time.Time `json:"start"`
			Reminded      bool      `json:"reminded"`
		} `json:"interviews"`
	}
	if err := json.Unmarshal(part.Data, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Interviews) != 1 || data.Interviews[0].ApplicationID != "a-2" || !data.Interviews[0].Start.Equal(start) || !data.Interviews[0].Reminded {
		t.Errorf("Ravi's exported interviews = %+v, want a-2 at %s, reminded", data.Interviews, start)
	}
}
