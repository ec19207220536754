package gateway_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/talentbridge/platform/services/gateway"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/auth"
	"github.com/talentbridge/platform/shared/events"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
	"github.com/talentbridge/platform/shared/openapi"
)

// mailEnv is a gateway that mails through a real (test) SMTP server.
func mailEnv(t *testing.T) (*env, *mailtest.Server) {
	t.Helper()
	srv := mailtest.Start(t, mailtest.Options{TLS: "starttls", Username: "gateway", Password: "mail-secret"})
	e := start(t, envOptions{config: func(c *gateway.Config) {
		withAdmin(c)
		c.SMTP = srv.Config()
		c.PublicURL = "https://tb.example.org"
	}, mail: []mail.SMTPOption{mail.WithTLSConfig(srv.ClientTLS())}})
	return e, srv
}

var linkToken = regexp.MustCompile(`https://tb\.example\.org/(verify-email|reset-password)\?token=([A-Za-z0-9_-]+)`)

// tokenIn returns the token of the link of kind ("verify-email" or
// "reset-password") in a mail.
func tokenIn(t *testing.T, m mailtest.Message, kind string) string {
	t.Helper()
	for _, g := range linkToken.FindAllStringSubmatch(m.Text, -1) {
		if g[1] == kind {
			return g[2]
		}
	}
	t.Fatalf("mail %q has no %s link:\n%s", m.Subject, kind, m.Text)
	return ""
}

func subjectHas(addr, part string) func(mailtest.Message) bool {
	return func(m mailtest.Message) bool { return mailtest.To(addr)(m) && strings.Contains(m.Subject, part) }
}

// Signing up mails a verification link in the page's language; the link
// verifies the address once, and the account says so.
func TestSignupMailsAVerificationLinkThatWorksOnce(t *testing.T) {
	e, srv := mailEnv(t)
	r := e.do(t, "POST", "/api/v1/auth/signup", "", map[string]string{"email": "aiko@example.jp", "password": goodPassword,
		"role": "applicant", "name": "Aiko", "language": "ja"})
	if r.Status != http.StatusCreated {
		t.Fatalf("signup = %d %s", r.Status, r.Body)
	}
	tok := e.login(t, "aiko@example.jp", goodPassword).AccessToken
	var me apiidentity.UserResponse
	e.do(t, "GET", "/api/v1/auth/me", tok, nil).JSON(t, &me)
	if me.EmailVerifiedAt != nil {
		t.Fatalf("a new account is verified already: %+v", me)
	}
	m := srv.WaitFor(t, 20*time.Second, mailtest.To("aiko@example.jp"))
	if m.Subject != "TalentBridge のメールアドレスを確認してください" {
		t.Errorf("verification mail subject = %q, want the Japanese one", m.Subject)
	}
	token := tokenIn(t, m, "verify-email")

	if r := e.do(t, "POST", "/api/v1/auth/email/verify", "", map[string]string{"token": token + "x"}); r.Status != http.StatusBadRequest || r.Problem(t).Code != "invalid_token" {
		t.Errorf("verify with a wrong token = %d %s, want 400 invalid_token", r.Status, r.Body)
	}
	r = e.do(t, "POST", "/api/v1/auth/email/verify", "", map[string]string{"token": token})
	if r.Status != http.StatusOK {
		t.Fatalf("verify = %d %s, want 200", r.Status, r.Body)
	}
	e.do(t, "GET", "/api/v1/auth/me", tok, nil).JSON(t, &me)
	if me.EmailVerifiedAt == nil {
		t.Errorf("after verifying, /auth/me = %+v, want emailVerifiedAt", me)
	}
	if r := e.do(t, "POST", "/api/v1/auth/email/verify", "", map[string]string{"token": token}); r.Status != http.StatusBadRequest {
		t.Errorf("second use of the link = %d %s, want 400", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/email/resend", tok, nil); r.Status != http.StatusConflict {
		t.Errorf("resend after verifying = %d %s, want 409", r.Status, r.Body)
	}
}

// Resending is limited per account.
func TestResendVerificationIsThrottled(t *testing.T) {
	e, srv := mailEnv(t)
	e.signup(t, "ravi@example.in", "applicant")
	tok := e.login(t, "ravi@example.in", goodPassword).AccessToken
	srv.WaitFor(t, 20*time.Second, mailtest.To("ravi@example.in"))
	got := []int{}
	for range 3 {
		got = append(got, e.do(t, "POST", "/api/v1/auth/email/resend", tok, nil).Status)
	}
	// The signup's mail counts: two resends pass, the third is refused.
	if got[0] != http.StatusAccepted || got[1] != http.StatusAccepted || got[2] != http.StatusTooManyRequests {
		t.Errorf("three resends = %v, want 202 202 429", got)
	}
	srv.WaitCount(t, 20*time.Second, 3)
}

// Forgot answers 202 with the same body for any address, mails only real
// accounts, and the reset link works once; a refused password leaves it
// working; the reset ends every session.
func TestForgotAndResetPassword(t *testing.T) {
	e, srv := mailEnv(t)
	e.signup(t, "mei@example.jp", "applicant")
	srv.WaitFor(t, 20*time.Second, mailtest.To("mei@example.jp")) // verification
	old := e.login(t, "mei@example.jp", goodPassword)

	unknown := e.do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "nobody@example.jp"})
	known := e.do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "MEI@example.jp"})
	if unknown.Status != http.StatusAccepted || known.Status != http.StatusAccepted || string(unknown.Body) != string(known.Body) {
		t.Fatalf("forgot: unknown %d %s, known %d %s; want the same 202", unknown.Status, unknown.Body, known.Status, known.Body)
	}
	m := srv.WaitFor(t, 20*time.Second, subjectHas("mei@example.jp", "new TalentBridge password"))
	token := tokenIn(t, m, "reset-password")

	if r := e.do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": token, "password": "short"}); r.Status != http.StatusBadRequest ||
		len(r.Problem(t).Errors) == 0 || r.Problem(t).Errors[0].Field != "password" {
		t.Errorf("reset with a weak password = %d %s, want 400 on password", r.Status, r.Body)
	}
	const next = "copper lanterns over the bay"
	if r := e.do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": token, "password": next}); r.Status != http.StatusNoContent {
		t.Fatalf("reset = %d %s, want 204", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": token, "password": "another long passphrase"}); r.Status != http.StatusBadRequest {
		t.Errorf("second use of the reset link = %d %s, want 400", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": old.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh of a session from before the reset = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "mei@example.jp", "password": goodPassword}); r.Status != http.StatusUnauthorized {
		t.Errorf("sign-in with the old password = %d, want 401", r.Status)
	}
	tok := e.login(t, "mei@example.jp", next).AccessToken
	var me apiidentity.UserResponse
	e.do(t, "GET", "/api/v1/auth/me", tok, nil).JSON(t, &me)
	if me.EmailVerifiedAt == nil {
		t.Errorf("a reset through the mailed link leaves the address unverified: %+v", me)
	}
	time.Sleep(300 * time.Millisecond) // the unknown address's background work
	for _, msg := range srv.Messages() {
		if mailtest.To("nobody@example.jp")(msg) {
			t.Errorf("a mail went to an address without an account: %q", msg.Subject)
		}
	}
}

// Changing the password needs the current one and ends the other
// sessions, not the caller's.
func TestChangePassword(t *testing.T) {
	e, _ := mailEnv(t)
	e.signup(t, "sita@example.in", "applicant")
	mine := e.login(t, "sita@example.in", goodPassword)
	other := e.login(t, "sita@example.in", goodPassword)
	const next = "saffron kites above the river"
	r := e.do(t, "POST", "/api/v1/auth/password/change", mine.AccessToken, map[string]string{"currentPassword": "wrong password here", "newPassword": next})
	if r.Status != http.StatusBadRequest || r.Problem(t).Errors[0].Field != "currentPassword" {
		t.Errorf("change with a wrong current password = %d %s, want 400 on currentPassword", r.Status, r.Body)
	}
	r = e.do(t, "POST", "/api/v1/auth/password/change", mine.AccessToken, map[string]string{"currentPassword": goodPassword, "newPassword": "short"})
	if r.Status != http.StatusBadRequest || r.Problem(t).Errors[0].Field != "newPassword" {
		t.Errorf("change to a weak password = %d %s, want 400 on newPassword", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/password/change", "", map[string]string{"currentPassword": goodPassword, "newPassword": next}); r.Status != http.StatusUnauthorized {
		t.Errorf("change signed out = %d, want 401", r.Status)
	}
	r = e.do(t, "POST", "/api/v1/auth/password/change", mine.AccessToken, map[string]string{"currentPassword": goodPassword, "newPassword": next})
	if r.Status != http.StatusNoContent {
		t.Fatalf("change = %d %s, want 204", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": other.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh of the other session = %d, want 401", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": mine.RefreshToken}); r.Status != http.StatusOK {
		t.Errorf("refresh of the caller's own session = %d %s, want 200", r.Status, r.Body)
	}
	e.login(t, "sita@example.in", next)
}

// The admin disables and enables accounts and sends resets; other roles
// may not, and an unknown id is 404.
func TestAdminManagesUsers(t *testing.T) {
	e, srv := mailEnv(t)
	u := e.signup(t, "arjun@example.in", "applicant")
	session := e.login(t, "arjun@example.in", goodPassword)
	_, coord := e.coordinator(t, "coord@example.org")
	admin := e.login(t, adminEmail, adminPassword)

	for _, c := range []struct {
		who, token string
		want       int
	}{{"applicant", session.AccessToken, 403}, {"coordinator", coord.AccessToken, 403}, {"anonymous", "", 401}} {
		for _, path := range []string{"/disable", "/enable", "/password-reset"} {
			if r := e.do(t, "POST", "/api/v1/auth/users/"+u.ID+path, c.token, nil); r.Status != c.want {
				t.Errorf("%s POST %s = %d, want %d", c.who, path, r.Status, c.want)
			}
		}
		if r := e.do(t, "GET", "/api/v1/auth/audit", c.token, nil); r.Status != c.want {
			t.Errorf("%s GET /auth/audit = %d, want %d", c.who, r.Status, c.want)
		}
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/no-such-user/disable", admin.AccessToken, nil); r.Status != http.StatusNotFound {
		t.Errorf("disable an unknown id = %d, want 404", r.Status)
	}
	var adminMe apiidentity.UserResponse
	e.do(t, "GET", "/api/v1/auth/me", admin.AccessToken, nil).JSON(t, &adminMe)
	if r := e.do(t, "POST", "/api/v1/auth/users/"+adminMe.ID+"/disable", admin.AccessToken, nil); r.Status != http.StatusConflict {
		t.Errorf("admin disables themselves = %d, want 409", r.Status)
	}

	r := e.do(t, "POST", "/api/v1/auth/users/"+u.ID+"/disable", admin.AccessToken, map[string]string{"reason": "spam"})
	var got apiidentity.UserResponse
	r.JSON(t, &got)
	if r.Status != http.StatusOK || got.Status != "disabled" || got.DisabledAt == nil {
		t.Fatalf("disable = %d %s, want 200 disabled", r.Status, r.Body)
	}
	if r := e.do(t, "POST", "/api/v1/auth/login", "", map[string]string{"email": "arjun@example.in", "password": goodPassword}); r.Status != http.StatusForbidden {
		t.Errorf("sign-in of a disabled account = %d, want 403", r.Status)
	}
	if r := e.do(t, "POST", "/api/v1/auth/refresh", "", map[string]string{"refreshToken": session.RefreshToken}); r.Status != http.StatusUnauthorized {
		t.Errorf("refresh of a disabled account's session = %d, want 401", r.Status)
	}
	var page struct {
		Items []apiidentity.UserResponse `json:"items"`
	}
	e.do(t, "GET", "/api/v1/auth/users?status=disabled&role=applicant", admin.AccessToken, nil).JSON(t, &page)
	if len(page.Items) != 1 || page.Items[0].ID != u.ID {
		t.Errorf("disabled applicants = %+v, want Arjun", page.Items)
	}
	if r := e.do(t, "POST", "/api/v1/auth/users/"+u.ID+"/enable", admin.AccessToken, nil); r.Status != http.StatusOK {
		t.Fatalf("enable = %d %s", r.Status, r.Body)
	}
	e.login(t, "arjun@example.in", goodPassword)

	if r := e.do(t, "POST", "/api/v1/auth/users/"+u.ID+"/password-reset", admin.AccessToken, nil); r.Status != http.StatusAccepted {
		t.Fatalf("admin sends a reset = %d %s, want 202", r.Status, r.Body)
	}
	m := srv.WaitFor(t, 20*time.Second, subjectHas("arjun@example.in", "new TalentBridge password"))
	tokenIn(t, m, "reset-password")

	var audit struct {
		Items []apiidentity.AuditEntry `json:"items"`
		Total int                      `json:"total"`
	}
	e.do(t, "GET", "/api/v1/auth/audit?user="+u.ID, admin.AccessToken, nil).JSON(t, &audit)
	var actions []string
	for _, a := range audit.Items {
		actions = append(actions, a.Action)
		if a.Actor != adminMe.ID {
			t.Errorf("audit entry %+v names another actor than the admin", a)
		}
	}
	if strings.Join(actions, ",") != "password_reset_sent,enabled,disabled" {
		t.Errorf("audit of Arjun = %v, want the reset, the enabling and the disabling, newest first", actions)
	}
}

// isLinkMail tells the account mails (verification and reset links) from
// notifications.
func isLinkMail(m mailtest.Message) bool {
	return strings.Contains(m.Text, "/verify-email?token=") || strings.Contains(m.Text, "/reset-password?token=")
}

// notice matches the notification mails to addr, not its account mails.
func notice(addr string) func(mailtest.Message) bool {
	return func(m mailtest.Message) bool { return mailtest.To(addr)(m) && !isLinkMail(m) }
}

// notices are the notification mails the server received.
func notices(srv *mailtest.Server) []mailtest.Message {
	var out []mailtest.Message
	for _, m := range srv.Messages() {
		if !isLinkMail(m) {
			out = append(out, m)
		}
	}
	return out
}

// A saved search's match reaches its owner in the inbox and by e-mail in
// their language, once however often the event arrives; the programs read
// model is not touched by it.
func TestSearchMatchedNotifiesTheOwner(t *testing.T) {
	e, srv := mailEnv(t)
	owner := e.signup(t, "kavya@example.in", "applicant")
	tok := e.login(t, "kavya@example.in", goodPassword).AccessToken
	e.settings(t, tok, map[string]any{"language": "hi"})
	ev := newEvent(t, events.SearchMatched, "s-1", 0, programsev.SearchMatched{SearchID: "s-1", OwnerID: owner.ID,
		ProgramID: "p-9", Title: "Kyoto robotics lab", MatchedAt: time.Now().UTC()})
	e.publishEvent(t, ev, ev.ID)
	e.publishEvent(t, ev, "again-"+ev.ID)
	n := e.waitNote(t, tok, "search.matched")
	if n.Params["program"] != "Kyoto robotics lab" || n.Link != "/programs/p-9" {
		t.Errorf("notification = %+v, want the program named and linked", n)
	}
	m := srv.WaitFor(t, 20*time.Second, notice("kavya@example.in"))
	if !strings.Contains(m.Subject, "Kyoto robotics lab") || !strings.Contains(m.Subject, "सहेजी गई खोज") ||
		!strings.Contains(m.Text, "https://tb.example.org/programs/p-9") {
		t.Errorf("mail = %q / %q, want the Hindi saved-search mail with the program's link", m.Subject, m.Text)
	}
	// A later event shows the repeated one was handled before it.
	later := newEvent(t, events.SearchMatched, "s-1", 0, programsev.SearchMatched{SearchID: "s-1", OwnerID: owner.ID,
		ProgramID: "p-10", Title: "Osaka AI school", MatchedAt: time.Now().UTC()})
	e.publishEvent(t, later, later.ID)
	srv.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool { return strings.Contains(m.Subject, "Osaka AI school") })
	if got := len(notices(srv)); got != 2 {
		t.Errorf("%d notification mails, want 2 (each match once)", got)
	}
	if c, err := e.DB.Collection("notify_programs").CountDocuments(context.Background(), bson.D{}); err != nil || c != 0 {
		t.Errorf("notify_programs holds %d documents (%v) after search.matched only, want 0", c, err)
	}
}

// Links expire (a reset link after an hour), tokens are stored only as
// hashes, and reset requests are limited per address and per account.
func TestLinkLifetimeStorageAndLimits(t *testing.T) {
	e, srv := mailEnv(t)
	e.signup(t, "noor@example.in", "applicant")
	verify := srv.WaitFor(t, 20*time.Second, mailtest.To("noor@example.in"))
	token := tokenIn(t, verify, "verify-email")
	ctx := context.Background()
	if n, err := e.DB.Collection("link_tokens").CountDocuments(ctx, bson.D{{Key: "_id", Value: token}}); err != nil || n != 0 {
		t.Errorf("the raw token is stored (%d, %v), want only its hash", n, err)
	}

	if r := e.do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "noor@example.in"}); r.Status != http.StatusAccepted {
		t.Fatalf("forgot = %d", r.Status)
	}
	reset := tokenIn(t, srv.WaitFor(t, 20*time.Second, subjectHas("noor@example.in", "new TalentBridge password")), "reset-password")
	e.Clock.Advance(61 * time.Minute)
	if r := e.do(t, "POST", "/api/v1/auth/password/reset", "", map[string]string{"token": reset, "password": "an expired link's passphrase"}); r.Status != http.StatusBadRequest {
		t.Errorf("reset after an hour = %d %s, want 400", r.Status, r.Body)
	}
	// The verification link lasts two days.
	if r := e.do(t, "POST", "/api/v1/auth/email/verify", "", map[string]string{"token": token}); r.Status != http.StatusOK {
		t.Errorf("verify after an hour = %d %s, want 200", r.Status, r.Body)
	}

	// Per account: at most three reset mails an hour, however many asks.
	e.Clock.Advance(time.Hour)
	for range 5 {
		if r := e.do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "noor@example.in"}); r.Status != http.StatusAccepted {
			t.Fatalf("forgot = %d %s", r.Status, r.Body)
		}
	}
	srv.WaitCount(t, 20*time.Second, 5) // verification, the first reset, three more
	time.Sleep(500 * time.Millisecond)
	if got := len(srv.Messages()); got != 5 {
		t.Errorf("%d mails after five more asks, want 5 (three resets an hour)", got)
	}
	// Per client address: twenty asks an hour, then 429 with Retry-After.
	var last response
	for i := range 16 {
		last = e.do(t, "POST", "/api/v1/auth/password/forgot", "", map[string]string{"email": "someone-" + string(rune('a'+i)) + "@example.org"})
	}
	if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Errorf("the 21st ask from one address = %d (Retry-After %q), want 429 with Retry-After", last.Status, last.Header.Get("Retry-After"))
	}
}

// The identity routes describe themselves in the OpenAPI part (a Doc the
// generator refuses would drop the gateway's whole part).
func TestIdentityRoutesGenerateOpenAPI(t *testing.T) {
	start(t, envOptions{})
	var routes []auth.RouteInfo
	for _, r := range auth.Registered() {
		if strings.HasPrefix(r.Path, "/api/v1/auth/") {
			routes = append(routes, r)
		}
	}
	doc, err := openapi.Generate("gateway", routes)
	if err != nil {
		t.Fatalf("openapi.Generate(identity routes): %v", err)
	}
	paths, _ := doc["paths"].(openapi.Doc)
	for _, p := range []string{"/auth/password/forgot", "/auth/password/reset", "/auth/password/change", "/auth/email/verify", "/auth/users/{id}/disable"} {
		if paths[p] == nil {
			t.Errorf("the OpenAPI part has no %s", p)
		}
	}
}
