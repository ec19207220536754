package main

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/talentbridge/platform/services/standalone/demo"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestApplicantFirstStepsAndOutcomesInTheBrowser follows applicants from
// sign-up to the result of a round, in headless Chromium:
//   - a new applicant without a profile, in each language, is told why
//     there is no recommendation, led to the wizard and shown the open
//     programs (never "no recommendation yet" alone while programs are open);
//   - quick Apply on the recommendations page sends a ticked document with
//     the application, with JavaScript and as a plain form without it;
//   - after a round is published, an applicant left without an offer finds
//     "not matched in <round>" on the offers page, the outcome per program
//     on "My applications" and the round result in their notifications.
func TestApplicantFirstStepsAndOutcomesInTheBrowser(t *testing.T) {
	p := startUIPlatform(t)
	accounts, err := demo.Load(t.Context(), p.URL, nil, demo.Options{AdminEmail: uiAdminEmail, AdminPassword: uiAdminPassword,
		Applicants: 8, Wait: 30 * time.Second})
	if err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	person := openBrowser(t, p)
	suffix := strconv.FormatInt(time.Now().UnixNano()%1e6, 10)

	t.Run("NoProfile", func(t *testing.T) {
		why := map[string]string{"en": "Why there are no recommendations yet", "ja": "おすすめがまだ表示されない理由", "hi": "अभी तक सुझाव क्यों नहीं हैं"}
		for _, lang := range []string{"en", "ja", "hi"} {
			b := person()
			b.t = t
			b.open("/")
			b.chooseLanguage(lang)
			b.open("/signup")
			b.fill("#f-name", "New applicant "+lang)
			b.fill("#f-email", "first."+lang+"."+suffix+"@example.org")
			b.fill("#f-password", uiPassword)
			b.submit("sign up", `form[action="/signup"] button[type=submit]`)
			b.open("/recommendations")
			b.expect("the reason in "+lang, "#recs-why", why[lang])
			if n := b.eval(`String(document.querySelectorAll('#recs-empty a[href="/profile/wizard"]').length)`); n != "1" {
				t.Errorf("%s: %s links to the wizard, want 1", lang, n)
			}
			if n, _ := strconv.Atoi(b.eval(`String(document.querySelectorAll('#recs-empty .card a[href^="/programs/"]').length)`)); n == 0 {
				t.Errorf("%s: the page lists no open program", lang)
			}
			if href := b.eval(`document.querySelector('#recs-all').getAttribute('href')`); href != "/programs?open=true" {
				t.Errorf("%s: the link to every open program is %q", lang, href)
			}
			b.shot("recommendations-no-profile-" + lang)
		}
	})

	type applicant struct{ email, token, id string }
	var people []applicant
	for _, a := range accounts {
		if a.Role == "applicant" {
			tok := apiLogin(t, p.URL, a.Email, demo.Password)
			var me struct {
				ID string `json:"id"`
			}
			apiCall(t, p.URL, http.MethodGet, "/auth/me", tok, nil, &me)
			people = append(people, applicant{email: a.Email, token: tok, id: me.ID})
		}
	}
	quickForm := regexp.MustCompile(`<form method="post" action="/programs/([^"/]+)/apply" class="quick-apply">`)
	// unapplied returns the programs the applicant's recommendations page
	// offers a quick Apply for.
	unapplied := func(who applicant) []string {
		b := platformtest.NewBrowser(t, p.URL)
		b.Login(who.email, demo.Password)
		var ids []string
		for _, m := range quickForm.FindAllStringSubmatch(b.Get("/recommendations").Body, -1) {
			ids = append(ids, m[1])
		}
		return ids
	}
	upload := func(who applicant, title string) string {
		r := journeyUpload(t, p.URL+"/api/v1/documents", who.token, journeyPDF(title), "cv", title)
		if r.status != http.StatusCreated {
			t.Fatalf("upload %s = %d %s", title, r.status, r.body)
		}
		id := regexp.MustCompile(`"id":"([^"]+)"`).FindSubmatch(r.body)
		return string(id[1])
	}
	attached := func(who applicant, program string) []string {
		var apps struct {
			Items []struct {
				ProgramID   string   `json:"programId"`
				DocumentIDs []string `json:"documentIds"`
			} `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/applications/me", who.token, nil, &apps)
		for _, a := range apps.Items {
			if a.ProgramID == program {
				return a.DocumentIDs
			}
		}
		t.Fatalf("%s has no application to %s", who.email, program)
		return nil
	}

	t.Run("QuickApplyWithDocuments", func(t *testing.T) {
		var js, plain *applicant
		for i := range people {
			if len(unapplied(people[i])) == 0 {
				continue
			}
			if js == nil {
				js = &people[i]
			} else if plain == nil {
				plain = &people[i]
			}
		}
		if js == nil || plain == nil {
			t.Fatalf("fewer than two demo applicants have a recommendation they have not applied to")
		}
		// With JavaScript, in Japanese: open the picker, tick the CV, apply.
		doc := upload(*js, "Quick CV "+suffix)
		b := person()
		b.t = t
		b.open("/")
		b.chooseLanguage("ja")
		b.open("/login")
		b.fill("#f-email", js.email)
		b.fill("#f-password", demo.Password)
		b.submit("log in", `form[action="/login"] button[type=submit]`)
		b.open("/recommendations")
		program := b.eval(`document.querySelector('form.quick-apply').getAttribute('action').split('/')[2]`)
		b.act("open the picker", chromedp.Click(chromedp.CSS(`form.quick-apply details.apply-docs summary`)))
		b.expect("the picker's legend", "form.quick-apply fieldset.docpicker legend", "この応募と一緒に送る書類")
		b.act("tick the CV", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form.quick-apply input[name=doc][value=%q]`, doc))))
		b.shot("recommendations-quick-apply-picker")
		b.submit("apply with the CV", `form.quick-apply button[type=submit]`)
		b.expect("sent with the document", ".notice", "選んだ書類と一緒に応募を送信しました")
		if got := attached(*js, program); !slices.Equal(got, []string{doc}) {
			t.Errorf("the application to %s holds documents %v, want [%s]", program, got, doc)
		}

		// Without JavaScript: the same form posted as it stands, box ticked.
		doc = upload(*plain, "Plain CV "+suffix)
		nb := platformtest.NewBrowser(t, p.URL)
		nb.Login(plain.email, demo.Password)
		page := nb.Get("/recommendations").Body
		m := quickForm.FindStringSubmatch(page)
		if m == nil || !strings.Contains(page[strings.Index(page, m[0]):], fmt.Sprintf(`name="doc" value="%s"`, doc)) {
			t.Fatalf("the plain page offers no quick Apply with the uploaded CV")
		}
		if r := nb.Post("/programs/"+m[1]+"/apply", url.Values{"doc": {doc}}); r.Status != http.StatusSeeOther ||
			r.Location != "/applications?done=applied_with_documents" {
			t.Fatalf("plain quick Apply = %d to %q, want 303 to the applications page", r.Status, r.Location)
		}
		if got := attached(*plain, m[1]); !slices.Equal(got, []string{doc}) {
			t.Errorf("the plain application holds documents %v, want [%s]", got, doc)
		}
	})

	t.Run("SearchOnlyWhatICanApplyTo", func(t *testing.T) {
		who := people[0]
		var total struct {
			Total int `json:"total"`
		}
		apiCall(t, p.URL, http.MethodGet, "/programs?open=true", "", nil, &total)
		var mine struct {
			Total int `json:"total"`
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if st := apiCall(t, p.URL, http.MethodGet, "/programs?eligible=true&sort=newest&pageSize=10", who.token, nil, &mine); st != http.StatusOK {
			t.Fatalf("GET /programs?eligible=true = %d", st)
		}
		if mine.Total == 0 || mine.Total >= total.Total {
			t.Fatalf("%s may apply to %d of %d open programs; the demo should give some but not all", who.email, mine.Total, total.Total)
		}
		b := person()
		b.t = t
		b.open("/")
		b.chooseLanguage("ja")
		b.open("/login")
		b.fill("#f-email", who.email)
		b.fill("#f-password", demo.Password)
		b.submit("log in", `form[action="/login"] button[type=submit]`)
		b.open("/programs")
		b.expect("the filter's label", `label:has(#f-eligible)`, "応募できるプログラムのみ")
		b.act("tick the filter", chromedp.Click(chromedp.CSS(`#f-eligible`)))
		b.choose("#f-sort", "newest")
		b.submit("search", `form.search button[type=submit]`)
		b.shot("search-eligible-newest")
		if got := b.eval(`String(document.querySelector('#f-eligible').checked) + " " + document.querySelector('#f-sort').value`); got != "true newest" {
			t.Errorf("after searching, filter and order = %q, want them kept", got)
		}
		var shown []string
		for _, href := range strings.Fields(b.eval(`Array.from(document.querySelectorAll('.cards .card h3 a')).map(a => a.getAttribute('href')).join(' ')`)) {
			shown = append(shown, strings.TrimPrefix(href, "/programs/"))
		}
		var want []string
		for _, it := range mine.Items {
			want = append(want, it.ID)
		}
		if !slices.Equal(shown, want) {
			t.Errorf("the page lists %v, want the API's eligible programs newest first %v", shown, want)
		}
	})

	t.Run("UnmatchedApplicantIsTold", func(t *testing.T) {
		coord := apiLogin(t, p.URL, demo.CoordinatorEmail, demo.Password)
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
		name := "Outcome round " + suffix
		var round struct {
			ID string `json:"id"`
		}
		if st := apiCall(t, p.URL, http.MethodPost, "/rounds", coord, map[string]any{"name": name, "programIds": ids, "seed": 5}, &round); st != http.StatusCreated {
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
				ProgramID   string `json:"programId"`
			} `json:"items"`
		}
		apiCall(t, p.URL, http.MethodGet, "/rounds/"+round.ID+"/matches?pageSize=100", coord, nil, &matches)
		// One demo account holder's match is rejected: they are left
		// without an offer.
		var loser *applicant
		var lost string
		for _, m := range matches.Items {
			if loser == nil {
				for i := range people {
					if people[i].id == m.ApplicantID {
						loser, lost = &people[i], m.ProgramID
					}
				}
				if loser != nil {
					apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/reject", coord, map[string]string{"reason": "Seat promised to a partner"}, nil)
					continue
				}
			}
			apiCall(t, p.URL, http.MethodPost, "/matches/"+m.ID+"/approve", coord, nil, nil)
		}
		if loser == nil {
			t.Fatalf("no demo account holder got a match in the round (%d matches)", len(matches.Items))
		}
		if st := apiCall(t, p.URL, http.MethodPost, "/rounds/"+round.ID+"/publish", coord, nil, nil); st != http.StatusOK {
			t.Fatalf("publish round = %d", st)
		}

		for _, tc := range []struct{ lang, unmatched, next string }{
			{"en", "Not matched in " + name, "What you can do next"},
			{"hi", name + " में मिलान नहीं हुआ", "आगे आप क्या कर सकते हैं"},
		} {
			b := person()
			b.t = t
			b.open("/")
			b.chooseLanguage(tc.lang)
			b.open("/login")
			b.fill("#f-email", loser.email)
			b.fill("#f-password", demo.Password)
			b.submit("log in", `form[action="/login"] button[type=submit]`)
			b.open("/offers")
			b.expect("the offers page names the round", "#round-"+round.ID+" h2", tc.unmatched)
			b.expect("next steps", "#round-"+round.ID+" h3", tc.next)
			if n := b.eval(`String(document.querySelectorAll('#round-` + round.ID + ` a[href="/recommendations"]').length)`); n != "1" {
				t.Errorf("%s: the unmatched round links %s times to recommendations, want 1", tc.lang, n)
			}
			b.shot("offers-unmatched-" + tc.lang)
			b.open("/applications")
			row := fmt.Sprintf(`//li[.//a[@href="/programs/%s"]]//p[@class="outcome"]`, lost)
			if got := b.eval(fmt.Sprintf(`document.evaluate(%q, document, null, XPathResult.STRING_TYPE, null).stringValue`, row)); !strings.Contains(got, tc.unmatched) {
				t.Errorf("%s: My applications says %q for the program, want %q", tc.lang, got, tc.unmatched)
			}
		}
		var inbox struct {
			Items []struct {
				Code   string            `json:"code"`
				Params map[string]string `json:"params"`
				Link   string            `json:"link"`
			} `json:"items"`
		}
		eventually(t, 30*time.Second, "the round result reaches the unmatched applicant's inbox", func() bool {
			apiCall(t, p.URL, http.MethodGet, "/notifications/me?pageSize=100", loser.token, nil, &inbox)
			n := 0
			for _, x := range inbox.Items {
				if x.Code == "round.unmatched" && x.Params["round"] == name {
					n++
					// The result links to the offers page, which says
					// why and what next.
					if x.Link != "/offers" {
						t.Errorf("the round result links to %q, want /offers", x.Link)
					}
				}
			}
			if n > 1 {
				t.Fatalf("%d round.unmatched notifications for one round, want 1", n)
			}
			return n == 1
		})
	})
}
