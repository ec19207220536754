package gateway_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/talentbridge/platform/shared/events"
)

// TestDeletedAccountLeavesTheStream checks that erasing an account also
// removes its snapshots (name, e-mail address) from the IDENTITY stream,
// keeping only user.deleted.
func TestDeletedAccountLeavesTheStream(t *testing.T) {
	t.Parallel()
	e := start(t, envOptions{})
	email := uniqueEmail(t, "scrub")
	u := e.signup(t, email, "applicant")
	tok := e.login(t, email, goodPassword)
	if r := e.do(t, "DELETE", "/api/v1/auth/me", tok.AccessToken, nil); r.Status != 204 {
		t.Fatalf("DELETE /auth/me = %d %s", r.Status, r.Body)
	}
	js, err := jetstream.New(e.NC)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var subjects, leaks []string
		st, err := js.Stream(ctx, "IDENTITY")
		if err != nil {
			t.Fatal(err)
		}
		info, _ := st.Info(ctx)
		for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
			m, err := st.GetMsg(ctx, seq)
			if err != nil {
				continue
			}
			ev, err := events.Parse(m.Data)
			if err != nil || ev.Subject != u.ID {
				continue
			}
			subjects = append(subjects, ev.Type)
			if strings.Contains(string(m.Data), "Test applicant") || strings.Contains(string(m.Data), email) {
				leaks = append(leaks, ev.Type)
			}
		}
		if len(subjects) == 1 && subjects[0] == events.UserDeleted && len(leaks) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("IDENTITY holds %v for the deleted account (naming them: %v); want only %s", subjects, leaks, events.UserDeleted)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
