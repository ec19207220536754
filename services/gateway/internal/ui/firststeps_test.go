package ui

import (
	"strings"
	"testing"
)

// fixtureNamed returns the page fixture of that name.
func fixtureNamed(t *testing.T, name string) fixture {
	t.Helper()
	for _, f := range fixtures() {
		if f.name == name {
			return f
		}
	}
	t.Fatalf("no fixture %q", name)
	return fixture{}
}

// An applicant without a profile is told why there is nothing to
// recommend, led to the wizard, and still shown the open programs with a
// way to all of them; never "no recommendation yet" while programs are
// open. With a profile that fits none, the page says so instead.
func TestRecommendationsWithoutRecommendations(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		out := renderFixture(t, u, fixtureNamed(t, "recommendations-no-profile"), lang)
		for _, want := range []string{
			u.cat.text(lang, "recs.no_profile.title"), `href="/profile/wizard"`,
			u.cat.text(lang, "recs.open", "N", "30"), `href="/programs/p-1"`, `href="/programs?open=true"`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the page without a profile lacks %q", lang, want)
			}
		}
		if strings.Contains(out, u.cat.text(lang, "recs.none")) {
			t.Errorf("%s: the page says there is no recommendation and no program while 30 are open", lang)
		}
		fit := renderFixture(t, u, fixtureNamed(t, "recommendations-no-fit"), lang)
		for _, want := range []string{u.cat.text(lang, "recs.none.title"), `href="/profile"`, `href="/programs/p-1"`} {
			if !strings.Contains(fit, want) {
				t.Errorf("%s: the page for a profile that fits nothing lacks %q", lang, want)
			}
		}
		if strings.Contains(fit, `href="/profile/wizard"`) {
			t.Errorf("%s: an applicant with a profile is sent to make one", lang)
		}
		// Nothing open at all: then, and only then, the plain sentence.
		if none := renderFixture(t, u, fixtureNamed(t, "recommendations-none"), lang); !strings.Contains(none, u.cat.text(lang, "recs.none")) {
			t.Errorf("%s: with no open program the page does not say so", lang)
		}
	}
}

// The recommendations page's quick Apply offers the program page's
// document picker inside its own form, in a <details> that opens without
// JavaScript; with no document uploaded it points to the documents page.
func TestQuickApplyOffersTheDocumentPicker(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		out := renderFixture(t, u, fixtureNamed(t, "recommendations-docs"), lang)
		i := strings.Index(out, `action="/programs/p-1/apply"`)
		if i < 0 {
			t.Fatalf("%s: no quick apply form", lang)
		}
		form := out[i:]
		form = form[:strings.Index(form, "</form>")]
		for _, want := range []string{`<details class="apply-docs">`, u.cat.text(lang, "recs.attach", "N", 2),
			`id="apply-docs-p-1"`, u.cat.text(lang, "program.apply_docs"),
			`name="doc" value="d-1">`, `name="doc" value="d-2">`, "Transcript 2026", `type="submit"`} {
			if !strings.Contains(form, want) {
				t.Errorf("%s: the quick apply form lacks %q", lang, want)
			}
		}
		plain := renderFixture(t, u, fixtureNamed(t, "recommendations"), lang)
		j := strings.Index(plain, `action="/programs/p-1/apply"`)
		if j < 0 {
			t.Fatalf("%s: no quick apply form without documents", lang)
		}
		form = plain[j:]
		form = form[:strings.Index(form, "</form>")]
		if strings.Contains(form, `name="doc"`) || !strings.Contains(form, `href="/documents"`) {
			t.Errorf("%s: without documents the quick apply should point to the documents page and offer no boxes", lang)
		}
	}
}

// After a round they were in is published without an offer for them, the
// offers page names the round, gives the reasons and the next steps, and
// does not claim that results are not published; "My applications" says
// per program what the round decided, next to the review stage.
func TestOutcomesOfPublishedRounds(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		out := renderFixture(t, u, fixtureNamed(t, "offers-unmatched"), lang)
		heading := string(u.cat.html(lang, "offers.unmatched", "Round", Raw("Spring 2027")))
		for _, want := range []string{heading, `id="round-r-1"`, u.cat.text(lang, "offers.next"),
			`href="/recommendations"`, `href="/programs?open=true"`, `href="/applications"`, `<ul class="reasons">`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the offers page of an unmatched applicant lacks %q", lang, want)
			}
		}
		if strings.Contains(out, u.cat.text(lang, "offers.none")) {
			t.Errorf("%s: the offers page says results are not published after the round was", lang)
		}
		if none := renderFixture(t, u, fixtureNamed(t, "offers-none"), lang); !strings.Contains(none, u.cat.text(lang, "offers.none")) {
			t.Errorf("%s: before any publication the offers page does not say offers come later", lang)
		}
		apps := renderFixture(t, u, fixtureNamed(t, "applications-outcomes"), lang)
		cards := strings.Split(apps, `<div class="rank"`)[1:]
		if len(cards) != 2 {
			t.Fatalf("%s: %d application cards, want 2", lang, len(cards))
		}
		unmatched := string(u.cat.html(lang, "apps.outcome.unmatched", "Round", Raw("Spring 2027")))
		offered := string(u.cat.html(lang, "apps.outcome.offered", "Round", Raw("Spring 2027")))
		if !strings.Contains(cards[0], unmatched) || !strings.Contains(cards[0], u.cat.text(lang, "stage.shortlisted")) {
			t.Errorf("%s: the first application lacks its outcome %q or its stage", lang, unmatched)
		}
		if !strings.Contains(cards[1], offered) || strings.Contains(cards[1], unmatched) {
			t.Errorf("%s: the second application lacks its outcome %q", lang, offered)
		}
	}
}

// The search page offers applicants "only programs I can apply to" and
// everyone the sort orders, keeping what was chosen; an applicant without
// a profile who ticks the filter is sent to the wizard.
func TestSearchEligibleAndSort(t *testing.T) {
	u := testUI(t)
	for _, lang := range Languages {
		out := renderFixture(t, u, fixtureNamed(t, "search-eligible"), lang)
		for _, want := range []string{`id="f-eligible" name="eligible" value="true" checked`, u.cat.text(lang, "search.eligible"),
			`<option value="newest" selected>` + u.cat.text(lang, "search.sort.newest"), `<option value="start">`, `<option value="deadline">`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the applicant's search page lacks %q", lang, want)
			}
		}
		if anon := renderFixture(t, u, fixtureNamed(t, "search"), lang); strings.Contains(anon, `name="eligible"`) || !strings.Contains(anon, `id="f-sort"`) {
			t.Errorf("%s: the public search page should offer sorting and no eligibility filter", lang)
		}
		none := renderFixture(t, u, fixtureNamed(t, "search-eligible-no-profile"), lang)
		if !strings.Contains(none, u.cat.text(lang, "search.eligible.no_profile")) || !strings.Contains(none, `href="/profile/wizard"`) {
			t.Errorf("%s: an applicant without a profile is not told to make one", lang)
		}
	}
}
