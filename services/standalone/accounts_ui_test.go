package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/mail/mailtest"
)

// TestAccountPagesInTheBrowser runs the standalone platform with a test
// SMTP server and drives the account pages in headless Chromium: the
// confirmation link of a Japanese sign-up, a forgotten password reset
// through the mailed link (which works once), and a saved search whose
// alert arrives, in the inbox and by e-mail, when a host publishes a
// program it finds.
func TestAccountPagesInTheBrowser(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	t.Setenv("TB_SMTP_ADDR", srv.Addr())
	t.Setenv("TB_SMTP_TLS", "none")
	t.Setenv("TB_SMTP_FROM", "TalentBridge <no-reply@talentbridge.test>")
	t.Setenv("TB_PUBLIC_URL", "https://tb.example.org")
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	suffix := time.Now().Format("150405.000")
	email := "yui-" + suffix + "@example.jp"

	b := person()
	b.open("/")
	b.submit("choose Japanese", `form.lang button[value="ja"]`)
	b.open("/signup")
	b.fill("#f-name", "Yui")
	b.fill("#f-email", email)
	b.fill("#f-password", uiPassword)
	b.submit("sign up", `form[action="/signup"] button[type=submit]`)

	// The confirmation mail is in Japanese. Its link asks a visitor who is
	// not signed in (a mail scanner, say) for a click, so opening it uses
	// nothing up; in the applicant's own signed-in browser it confirms the
	// address at once, and only once.
	m := srv.WaitFor(t, 30*time.Second, func(m mailtest.Message) bool {
		return mailtest.To(email)(m) && strings.Contains(m.Text, "/verify-email?token=")
	})
	if m.Subject != "TalentBridge のメールアドレスを確認してください" {
		t.Errorf("confirmation mail subject = %q, want the Japanese one", m.Subject)
	}
	b.open("/account")
	b.expect("unconfirmed address", "#email-status", "未確認")
	link := pathOf(t, m.Text, "verify-email")
	scanner := person()
	scanner.open(link)
	scanner.expect("a signed-out visitor is asked to click", `form[action="/verify-email"] button[type=submit]`, "")
	b.open("/account")
	b.expect("opening the link signed out confirmed nothing", "#email-status", "未確認")
	b.open(link)
	b.expect("address confirmed", "#email-verified", "確認しました")
	b.open("/account")
	b.expect("confirmed address", "#email-status", "確認済み")
	b.open(link)
	b.expect("second use refused", "#link-invalid", "無効")
	scanner.open(link)
	scanner.submit("confirm again with a click", `form[action="/verify-email"] button[type=submit]`)
	scanner.expect("second use refused", "#link-invalid", "used already")

	// Forgot → reset, signed out, from the sign-in page.
	b.submit("sign out", `form[action="/logout"] button`)
	b.open("/login")
	b.submit("open forgot", `a[href="/forgot-password"]`)
	b.fill("#f-email", "nobody-"+suffix+"@example.jp")
	b.submit("ask for an unknown address", `form[action="/forgot-password"] button[type=submit]`)
	sentText := b.text("#reset-sent")
	b.open("/forgot-password")
	b.fill("#f-email", email)
	b.submit("ask for a reset", `form[action="/forgot-password"] button[type=submit]`)
	if got := b.text("#reset-sent"); got != sentText {
		t.Errorf("the answer for a real account %q differs from the one for an unknown address %q", got, sentText)
	}
	reset := srv.WaitFor(t, 30*time.Second, func(m mailtest.Message) bool {
		return mailtest.To(email)(m) && strings.Contains(m.Text, "/reset-password?token=")
	})
	resetLink := pathOf(t, reset.Text, "reset-password")
	b.open(resetLink)
	b.fill("#f-password", "short")
	b.submit("weak password", `form[action="/reset-password"] button[type=submit]`)
	b.expect("weak password refused", ".alert", "パスワード")
	const next = "harbour lights over kobe"
	b.fill("#f-password", next)
	b.submit("new password", `form[action="/reset-password"] button[type=submit]`)
	b.expect("reset done", ".notice", "新しいパスワード")
	b.fill("#f-email", email)
	b.fill("#f-password", next)
	b.submit("sign in with the new password", `form[action="/login"] button[type=submit]`)
	if loc := b.location(); strings.HasPrefix(loc, "/login") {
		t.Errorf("sign-in with the new password stayed on %s", loc)
	}
	b.open(resetLink)
	b.fill("#f-password", "another harbour at dusk")
	b.submit("reuse the reset link", `form[action="/reset-password"] button[type=submit]`)
	b.expect("reused link refused", "#link-invalid", "無効")
	for _, msg := range srv.Messages() {
		if mailtest.To("nobody-" + suffix + "@example.jp")(msg) {
			t.Errorf("a mail went to an address without an account: %q", msg.Subject)
		}
	}

	// Save a search from the search page; a program it finds, published
	// later, alerts the applicant.
	b.open("/programs?q=seaweed&hostCountry=JP")
	b.submit("save the search", "#save-search")
	b.expect("search saved", ".notice", "保存しました")
	b.expect("saved search listed", ".saved-search", "seaweed")

	admin := apiLogin(t, p.URL, uiAdminEmail, uiAdminPassword)
	coordEmail := "coord-" + suffix + "@example.org"
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/users", admin, map[string]string{"email": coordEmail, "password": uiPassword, "name": "Coord"}, nil); st != http.StatusCreated {
		t.Fatalf("create coordinator = %d", st)
	}
	coord := apiLogin(t, p.URL, coordEmail, uiPassword)
	hostEmail := "host-" + suffix + "@example.jp"
	var host struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/auth/signup", "", map[string]string{"email": hostEmail, "password": uiPassword,
		"role": "host", "name": "Host", "organization": "Hakodate Marine Lab"}, &host); st != http.StatusCreated {
		t.Fatalf("host signup = %d", st)
	}
	apiCall(t, p.URL, http.MethodPost, "/auth/users/"+host.ID+"/verify", coord, nil, nil)
	hostTok := apiLogin(t, p.URL, hostEmail, uiPassword)
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format("2006-01-02") }
	prog := map[string]any{"title": "Seaweed farming research", "description": "Seaweed aquaculture in Hokkaido", "kind": "joint_research",
		"hostOrg": "Hakodate Marine Lab", "hostCountry": "JP", "region": "Hokkaido", "fields": []string{"4.1"}, "skills": []string{"biology"},
		"seats": 2, "startDate": day(90), "endDate": day(150), "applicationDeadline": day(30),
		"eligibility": map[string]any{"applicantKinds": []string{"student"}}}
	var created struct {
		ID string `json:"id"`
	}
	eventually(t, 20*time.Second, "the verified host may post", func() bool {
		return apiCall(t, p.URL, http.MethodPost, "/programs", hostTok, prog, &created) == http.StatusCreated
	})
	if st := apiCall(t, p.URL, http.MethodPost, "/programs/"+created.ID+"/publish", hostTok, nil, nil); st != http.StatusOK {
		t.Fatalf("publish = %d", st)
	}
	alert := srv.WaitFor(t, 30*time.Second, func(m mailtest.Message) bool {
		return mailtest.To(email)(m) && strings.Contains(m.Subject, "Seaweed farming research")
	})
	if !strings.Contains(alert.Subject, "保存した検索") || !strings.Contains(alert.Text, "/programs/"+created.ID) {
		t.Errorf("alert mail = %q / %q, want the Japanese saved-search mail linking the program", alert.Subject, alert.Text)
	}
	b.open("/notifications")
	b.expect("alert in the inbox", "main", "Seaweed farming research")
}

var linkPath = regexp.MustCompile(`https://tb\.example\.org(/(?:verify-email|reset-password)\?token=[A-Za-z0-9_-]+)`)

// pathOf returns the site path of the link of kind in a mail's text.
func pathOf(t *testing.T, text, kind string) string {
	t.Helper()
	for _, m := range linkPath.FindAllStringSubmatch(text, -1) {
		if strings.Contains(m[1], kind) {
			return m[1]
		}
	}
	t.Fatalf("no %s link in %q", kind, text)
	return ""
}
