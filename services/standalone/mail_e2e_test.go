package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/shared/mail/mailtest"
)

// TestMailJourney runs the standalone platform with TB_SMTP_ADDR pointing
// at a test SMTP server: people set their notification language and
// e-mails on the settings page, in each of the three languages, and a
// published round's applicants get their result by e-mail in their
// language — an offer, or, for those left without one, the round result.
func TestMailJourney(t *testing.T) {
	srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
	t.Setenv("TB_SMTP_ADDR", srv.Addr())
	t.Setenv("TB_SMTP_TLS", "none")
	t.Setenv("TB_SMTP_FROM", "TalentBridge <no-reply@talentbridge.test>")
	t.Setenv("TB_PUBLIC_URL", "https://tb.example.org")
	p := startUIPlatform(t)
	t.Run("SettingsPageInEveryLanguage", func(t *testing.T) { settingsPages(t, p) })
	t.Run("RoundResultsByMail", func(t *testing.T) { roundResultMails(t, p, srv) })
}

func settingsPages(t *testing.T, p *uiPlatform) {
	person := openBrowser(t, p)
	suffix := time.Now().Format("150405.000")
	title := map[string]string{"en": "Notification and e-mail settings", "ja": "通知とメールの設定", "hi": "सूचना और ईमेल सेटिंग्स"}
	saved := map[string]string{"en": "have been saved", "ja": "保存しました", "hi": "सहेज दी गई"}
	for _, lang := range []string{"en", "ja", "hi"} {
		b := person()
		email := "settings-" + lang + "-" + suffix + "@example.org"
		b.open("/")
		b.submit("choose "+lang, `form.lang button[value="`+lang+`"]`)
		b.open("/signup")
		b.fill("#f-name", "Settings "+lang)
		b.fill("#f-email", email)
		b.fill("#f-password", uiPassword)
		b.submit("sign up", `form[action="/signup"] button[type=submit]`)

		// The account page leads to the settings, shown in the page's
		// language with the signup page's language chosen for e-mails.
		b.open("/account")
		b.submit("open the settings", `a[href="/settings/notifications"]`)
		b.expect("settings title in "+lang, "h1", title[lang])
		if got := b.eval(`document.querySelector('input[name=language]:checked').value`); got != lang {
			t.Errorf("%s: e-mail language preselected = %q, want the signup page's %q", lang, got, lang)
		}
		if n := b.eval(`String(document.querySelectorAll('input[name=email]:checked').length)`); n != "7" {
			t.Errorf("%s: %s e-mail kinds on by default, want all 7", lang, n)
		}
		b.shot("settings-" + lang)

		// Turn round results off and, for the English page, write e-mails
		// in Hindi.
		b.choose(`input[name=email]`, "account", "offers", "stages", "interviews", "messages", "searches")
		mailLang := lang
		if lang == "en" {
			mailLang = "hi"
			b.choose(`input[name=language]`, "hi")
		}
		b.submit("save settings", `form[action="/settings/notifications"] button[type=submit]`)
		b.expect("saved notice in "+lang, ".notice", saved[lang])
		if got := b.eval(`document.querySelector('input[name=language]:checked').value`); got != mailLang {
			t.Errorf("%s: after saving, e-mail language = %q, want %q", lang, got, mailLang)
		}
		if got := b.eval(`String(document.querySelector('#f-email-results').checked)`); got != "false" {
			t.Errorf("%s: round results still ticked after saving", lang)
		}

		// The API agrees.
		var s struct {
			Language string          `json:"language"`
			Email    map[string]bool `json:"email"`
		}
		tok := apiLogin(t, p.URL, email, uiPassword)
		if st := apiCall(t, p.URL, http.MethodGet, "/notifications/settings", tok, nil, &s); st != http.StatusOK ||
			s.Language != mailLang || s.Email["results"] || !s.Email["offers"] {
			t.Errorf("%s: API settings = %d %+v, want %s with results off and offers on", lang, st, s, mailLang)
		}
	}
}

// roundResultMails loads the demo, sets every demo applicant's e-mails to
// Japanese, runs a round over every program (one match rejected, so that
// someone is left without an offer) and publishes it.
func roundResultMails(t *testing.T, p *uiPlatform, srv *mailtest.Server) {
	ctx := t.Context()
	accounts, err := demo.Load(ctx, p.URL, nil, demo.Options{AdminEmail: uiAdminEmail, AdminPassword: uiAdminPassword,
		Applicants: 12, Wait: 30 * time.Second})
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	coord := apiLogin(t, p.URL, demo.CoordinatorEmail, demo.Password)
	type person struct{ id, email, token string }
	var people []person
	for _, a := range accounts {
		if a.Role != "applicant" {
			continue
		}
		tok := apiLogin(t, p.URL, a.Email, demo.Password)
		var me struct {
			ID string `json:"id"`
		}
		apiCall(t, p.URL, http.MethodGet, "/auth/me", tok, nil, &me)
		if st := apiCall(t, p.URL, http.MethodPut, "/notifications/settings", tok, map[string]string{"language": "ja"}, nil); st != http.StatusOK {
			t.Fatalf("set %s's language = %d", a.Email, st)
		}
		people = append(people, person{id: me.ID, email: strings.ToLower(a.Email), token: tok})
	}
	if len(people) == 0 {
		t.Fatal("the demo has no applicant accounts")
	}

	var all struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/programs?pageSize=100", "", nil, &all)
	var ids []string
	for _, it := range all.Items {
		ids = append(ids, it.ID)
	}
	var round struct {
		ID string `json:"id"`
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/rounds", coord, map[string]any{"name": "Mail Round", "programIds": ids, "seed": 3}, &round); st != http.StatusCreated {
		t.Fatalf("create round = %d", st)
	}
	apiCall(t, p.URL, http.MethodPost, "/rounds/"+round.ID+"/run", coord, nil, nil)
	eventually(t, 60*time.Second, "round completes", func() bool {
		var r struct {
			Status string `json:"status"`
		}
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID, coord, nil, &r)
		return r.Status == "completed"
	})
	var matches struct {
		Items []struct {
			ID          string `json:"id"`
			ApplicantID string `json:"applicantId"`
		} `json:"items"`
	}
	apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/matches?pageSize=100", coord, nil, &matches)
	// Which demo account holders took part, and who will hold an offer.
	inRound, offered := map[string]bool{}, map[string]bool{}
	for _, who := range people {
		var ex struct {
			Items []any `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/explanations?applicantId="+who.id, coord, nil, &ex)
		inRound[who.id] = len(ex.Items) > 0
	}
	rejected := false
	for _, m := range matches.Items {
		if !rejected && inRound[m.ApplicantID] {
			rejected = true
			apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/reject", coord, map[string]string{"reason": "Seat promised to a partner"}, nil)
			continue
		}
		apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/approve", coord, nil, nil)
		offered[m.ApplicantID] = true
	}
	if st := apiCall(t, p.URL, http.MethodPost, "/rounds/"+round.ID+"/publish", coord, nil, nil); st != http.StatusOK {
		t.Fatalf("publish round = %d", st)
	}

	unmatched := 0
	for _, who := range people {
		if !inRound[who.id] {
			continue
		}
		// The round's mail, not the address confirmation of the sign-up.
		got := srv.WaitFor(t, 60*time.Second, func(m mailtest.Message) bool {
			return mailtest.To(who.email)(m) && !strings.Contains(m.Text, "/verify-email?token=")
		})
		if offered[who.id] {
			if !strings.Contains(got.Subject, "オファーが届きました") {
				t.Errorf("%s holds an offer; mail subject %q, want the Japanese offer mail", who.email, got.Subject)
			}
			continue
		}
		unmatched++
		if got.Subject != "マッチングラウンド「Mail Round」の結果" || !strings.Contains(got.Text, "https://tb.example.org/") {
			t.Errorf("%s has no offer; mail %q / %q, want the Japanese round result with a link", who.email, got.Subject, got.Text)
		}
		var inbox struct {
			Items []struct {
				Code string `json:"code"`
			} `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/notifications/me", who.token, nil, &inbox)
		found := false
		for _, n := range inbox.Items {
			found = found || n.Code == "round.unmatched"
		}
		if !found {
			t.Errorf("%s has no offer and no round.unmatched notification: %+v", who.email, inbox.Items)
		}
	}
	if unmatched == 0 {
		t.Fatal("no demo account holder was left without an offer: the test checked no round result")
	}
	took := 0
	for _, in := range inRound {
		if in {
			took++
		}
	}
	t.Logf("%d demo account holders in the round, %d without an offer; %d mails received", took, unmatched, len(srv.Messages()))
}
