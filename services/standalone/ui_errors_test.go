package main

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestWizardErrorsInTheUsersLanguage (issue 22, item 7): in headless
// Chromium, an applicant in each language leaves out what they are, then
// gives an end of availability before its start. Each problem is worded in
// the page's language from the API's field error code, names the field as
// the form labels it (the start date inside the date-order message too),
// and shows neither the API's English reason nor its field paths.
func TestWizardErrorsInTheUsersLanguage(t *testing.T) {
	p := startUIPlatform(t)
	person := openBrowser(t, p)
	now := time.Now()
	day := func(d int) string { return now.AddDate(0, 0, d).Format("2006-01-02") }
	suffix := strconv.FormatInt(now.UnixNano()%1e6, 10)
	// Words of the API's English reasons and paths that must not reach a page.
	leaks := []string{"is required:", "one of", "student|", "must not", "availableFrom", "availableTo", "fields[", "kind:", day(200)}

	for _, tc := range []struct {
		lang, kindLabel, required, toLabel, dateOrder string
	}{
		{"en", "I am a", "This is required.", "Available until", "Must not be before “Available from”."},
		{"ja", "区分", "入力または選択が必要です。", "参加可能な終了日", "「参加可能な開始日」より前の日付にはできません。"},
		{"hi", "मैं हूँ", "यह आवश्यक है: भरें या चुनें।", "कब तक उपलब्ध", "“कब से उपलब्ध” से पहले की तिथि नहीं हो सकती।"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b := person()
			b.t = t
			b.open("/")
			b.chooseLanguage(tc.lang)
			b.open("/signup")
			b.fill("#f-name", "Wizard "+tc.lang)
			b.fill("#f-email", "wizard."+tc.lang+"."+suffix+"@example.org")
			b.fill("#f-password", uiPassword)
			b.submit("sign up", `form[action="/signup"] button[type=submit]`)
			if loc := b.location(); loc != "/profile/wizard" {
				t.Fatalf("after sign-up the applicant is at %s, want the profile wizard", loc)
			}
			noLeak := func(sel string) {
				t.Helper()
				got := b.text(sel)
				for _, w := range leaks {
					if strings.Contains(got, w) {
						b.shot("leak-" + tc.lang)
						t.Errorf("%s says %q, which shows the API's own words %q", sel, got, w)
					}
				}
			}

			// The wizard without the applicant kind.
			b.choose("#f-homeCountry", "IN")
			b.fill("#f-birthYear", "2001")
			b.choose("#f-degreeLevel", "master")
			b.choose("#f-lang0", "en")
			b.choose("#f-level0", "C1")
			b.choose(`#f-consents input[type=checkbox]`, "on")
			b.submit("the wizard without a kind", `button[value=save]`)
			b.expect("the summary names the kind by its label", "#error-summary", tc.kindLabel)
			b.expect("the summary words the problem in the page's language", "#error-summary", tc.required)
			b.expect("the problem is shown at the kind", "#e-kind", tc.required)
			noLeak("#error-summary")
			noLeak("#e-kind")
			b.shot("wizard-kind-missing-" + tc.lang)

			b.choose(`input[name=kind]`, "student")
			b.submit("the wizard", `button[value=save]`)
			if loc := b.location(); !strings.HasPrefix(loc, "/profile?") {
				t.Fatalf("after the wizard the applicant is at %s, want the profile", loc)
			}

			// The availability section with the end before the start.
			b.submit("open the availability section", "#edit-availability")
			b.fill("#f-availableFrom", day(200))
			b.fill("#f-availableTo", day(100))
			b.submit("availability with the dates the wrong way round", `button[value=save]`)
			b.expect("the summary names the end date by its label", "#error-summary", tc.toLabel)
			b.expect("the date order names the start by its label", "#error-summary", tc.dateOrder)
			b.expect("the problem is shown at the end date", "#e-availableTo", tc.dateOrder)
			noLeak("#error-summary")
			noLeak("#e-availableTo")
			b.shot("wizard-date-order-" + tc.lang)
		})
	}
}
