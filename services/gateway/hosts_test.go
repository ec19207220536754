package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/gateway"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/mail/mailtest"
)

// A host signing up is announced to the coordinators (inbox and e-mail);
// a coordinator declines it with a reason, which the host reads in its
// inbox, on its account and in an e-mail in its language; only
// coordinators may decline, a missing reason is a field error, and a
// declined host may still be verified.
func TestDeclineHost(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	e := start(t, envOptions{config: func(c *gateway.Config) { withAdmin(c); c.SMTP = srv.Config() }})
	_, coord := e.coordinator(t, "coord@talentbridge.example")
	hostEmail := uniqueEmail(t, "office")
	host := e.signup(t, hostEmail, "host")
	hostTokens := e.login(t, hostEmail, goodPassword)
	e.settings(t, hostTokens.AccessToken, map[string]any{"language": "ja"})
	applicant := e.signup(t, uniqueEmail(t, "student"), "applicant")
	applicantTokens := e.login(t, applicant.Email, goodPassword)

	// The coordinator hears of the waiting host.
	waiting := e.waitNote(t, coord.AccessToken, "host.waiting")
	if waiting.Params["host"] != "Tohoku University" || waiting.Link != "/coord/hosts" {
		t.Errorf("host.waiting notification = %+v", waiting)
	}
	got := srv.WaitFor(t, 20*time.Second, notice("coord@talentbridge.example"))
	if !strings.Contains(got.Subject, "Tohoku University") {
		t.Errorf("coordinator's mail subject = %q", got.Subject)
	}

	path := "/api/v1/auth/users/" + host.ID + "/decline"
	reason := "We could not confirm the organisation's address; please send the registry extract."
	// Wrong roles and no token are refused before anything is looked at.
	for who, tok := range map[string]string{"the host": hostTokens.AccessToken, "an applicant": applicantTokens.AccessToken} {
		if r := e.do(t, "POST", path, tok, map[string]string{"reason": reason}); r.Status != http.StatusForbidden {
			t.Errorf("decline as %s = %d %s, want 403", who, r.Status, r.Body)
		}
	}
	if r := e.do(t, "POST", path, "", map[string]string{"reason": reason}); r.Status != http.StatusUnauthorized {
		t.Errorf("decline without a token = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/no-such-user/decline", coord.AccessToken, map[string]string{"reason": reason}); r.Status != http.StatusNotFound {
		t.Errorf("decline an unknown id = %d, want 404", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/"+applicant.ID+"/decline", coord.AccessToken, map[string]string{"reason": reason}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("decline an applicant = %d %s, want 422", r.Status, r.Body)
	}
	// A reason is required (a field error, 400 as every identity field).
	r := e.do(t, "POST", path, coord.AccessToken, map[string]string{"reason": "  "})
	if r.Status != http.StatusBadRequest {
		t.Fatalf("decline without a reason = %d %s, want 400", r.Status, r.Body)
	}
	if p := r.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "reason" || p.Errors[0].Code != "required" {
		t.Errorf("problem = %+v, want reason required", p)
	}
	if r := e.do(t, "POST", path, coord.AccessToken, map[string]string{"reason": strings.Repeat("x", 1001)}); r.Status != http.StatusBadRequest || r.Problem(t).Errors[0].Code != "too_long" {
		t.Errorf("decline with a too long reason = %d %s, want 400 too_long", r.Status, r.Body)
	}
	var me apiidentity.UserResponse
	e.do(t, "GET", "/api/v1/auth/me", hostTokens.AccessToken, nil).JSON(t, &me)
	if me.Status != "pending" || me.DeclineReason != "" {
		t.Fatalf("after refused declines the host is %+v, want pending", me)
	}

	r = e.do(t, "POST", path, coord.AccessToken, map[string]string{"reason": reason})
	if r.Status != http.StatusOK {
		t.Fatalf("decline = %d %s, want 200", r.Status, r.Body)
	}
	var declined apiidentity.UserResponse
	r.JSON(t, &declined)
	if declined.Status != "declined" || declined.DeclineReason != reason || declined.DeclinedAt == nil {
		t.Errorf("declined host = %+v", declined)
	}
	// A coordinator reads the account by id (the audit page names actors
	// so); other roles may not.
	var one apiidentity.UserResponse
	if r := e.do(t, "GET", "/api/v1/auth/users/"+host.ID, coord.AccessToken, nil); r.Status != http.StatusOK {
		t.Errorf("GET /auth/users/{id} as coordinator = %d", r.Status)
	} else if r.JSON(t, &one); one.Email != hostEmail || one.Status != "declined" {
		t.Errorf("GET /auth/users/{id} = %+v", one)
	}
	if r := e.do(t, "GET", "/api/v1/auth/users/"+host.ID, applicantTokens.AccessToken, nil); r.Status != http.StatusForbidden {
		t.Errorf("GET /auth/users/{id} as applicant = %d, want 403", r.Status)
	}
	if r := e.do(t, "GET", "/api/v1/auth/users/"+applicant.ID, hostTokens.AccessToken, nil); r.Status != http.StatusForbidden {
		t.Errorf("GET /auth/users/{id} as host = %d, want 403", r.Status)
	}
	if r := e.do(t, "GET", "/api/v1/auth/users/no-such-user", coord.AccessToken, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET /auth/users/{unknown} = %d, want 404", r.Status)
	}
	// Listed apart from the pending hosts.
	var list struct{ Items []apiidentity.UserResponse }
	e.do(t, "GET", "/api/v1/auth/users?role=host&status=declined", coord.AccessToken, nil).JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != host.ID {
		t.Errorf("declined hosts = %+v", list.Items)
	}
	e.do(t, "GET", "/api/v1/auth/users?role=host&status=pending", coord.AccessToken, nil).JSON(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("pending hosts after declining = %+v", list.Items)
	}

	// The host is told, with the reason, in Japanese by e-mail.
	note := e.waitNote(t, hostTokens.AccessToken, "account.declined")
	if note.Params["reason"] != reason {
		t.Errorf("host's notification = %+v", note)
	}
	m := srv.WaitFor(t, 20*time.Second, notice(hostEmail))
	if !strings.Contains(m.Subject, "認証されませんでした") || !strings.Contains(m.Text, reason) {
		t.Errorf("host's mail = %q / %q, want Japanese with the reason", m.Subject, m.Text)
	}
	// The host still signs in and reads the reason on its account.
	again := e.login(t, hostEmail, goodPassword)
	e.do(t, "GET", "/api/v1/auth/me", again.AccessToken, nil).JSON(t, &me)
	if me.Status != "declined" || me.DeclineReason != reason {
		t.Errorf("host's account = %+v", me)
	}
	// The reason is part of the host's data export.
	req, _ := json.Marshal(profilesev.ExportRequest{UserID: host.ID})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	msg, err := e.NC.RequestWithContext(ctx, profilesev.ExportSubject(profilesev.ServiceIdentity), req)
	cancel()
	if err != nil {
		t.Fatalf("export request: %v", err)
	}
	var part profilesev.ExportPart
	if err := json.Unmarshal(msg.Data, &part); err != nil || !strings.Contains(string(part.Data), `"declineReason"`) || !strings.Contains(string(part.Data), "registry extract") {
		t.Errorf("export part = %s (%v), want the decline reason", part.Data, err)
	}
	// Declining again with the same reason tells nobody twice.
	if r := e.do(t, "POST", path, coord.AccessToken, map[string]string{"reason": reason}); r.Status != http.StatusOK {
		t.Errorf("decline again = %d", r.Status)
	}
	// A coordinator may still verify it, which clears the reason; a
	// verified host can no longer be declined.
	if r := e.do(t, "POST", "/api/v1/auth/users/"+host.ID+"/verify", coord.AccessToken, nil); r.Status != http.StatusOK {
		t.Fatalf("verify a declined host = %d %s", r.Status, r.Body)
	}
	var verified apiidentity.UserResponse
	e.do(t, "GET", "/api/v1/auth/me", again.AccessToken, nil).JSON(t, &verified)
	if verified.Status != "active" || verified.DeclineReason != "" || verified.DeclinedAt != nil {
		t.Errorf("verified host = %+v", verified)
	}
	r = e.do(t, "POST", path, coord.AccessToken, map[string]string{"reason": reason})
	if r.Status != http.StatusConflict || r.Problem(t).Code != "host_verified" {
		t.Errorf("decline a verified host = %d %s, want 409 host_verified", r.Status, r.Body)
	}
	n := 0
	for _, m := range notices(srv) {
		if mailtest.To(hostEmail)(m) && strings.Contains(m.Text, reason) {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the host got %d decline mails, want 1", n)
	}
}
