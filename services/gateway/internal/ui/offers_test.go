package ui

import (
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// deadlineOffers are three offers: open for two more days, past its
// deadline but not yet swept, and expired.
func deadlineOffers(offer Match) OffersData {
	open, lapsed, expired := offer, offer, offer
	soon, past := time.Now().Add(49*time.Hour), time.Now().Add(-time.Minute)
	open.ID, open.RespondBy = "m-open", &soon
	lapsed.ID, lapsed.RespondBy = "m-lapsed", &past
	expired.ID, expired.Status, expired.RespondBy = "m-expired", "expired", &past
	return OffersData{Offers: []Match{open, lapsed, expired}}
}

// publishedRound is a published round with its demand counts.
func publishedRound(r Round, prog *programsev.Program) RoundData {
	r.Status, r.OfferDays = "published", 5
	return RoundData{Round: r, Programs: map[string]*programsev.Program{"p-1": prog},
		Demand: []apimatching.Demand{{ProgramID: "p-1", Seats: 5, Ranked: 17, RankedFirst: 9}}}
}

// An open offer shows its deadline in the reader's zone and in IST and
// JST, the time left and its buttons; a lapsed or expired one says it
// expired and has no buttons.
func TestOfferDeadlinesOnThePage(t *testing.T) {
	u := testUI(t)
	found := false
	for _, f := range fixtures() {
		if f.name == "offers-deadlines" {
			for _, lang := range Languages {
				out := renderFixture(t, u, f, lang)
				cards := strings.Split(out, `<article class="card offer">`)[1:]
				if len(cards) != 3 {
					t.Fatalf("%s: %d offer cards, want 3", lang, len(cards))
				}
				open := cards[0]
				if !strings.Contains(open, `action="/offers/m-open/accept"`) || !strings.Contains(open, `class="countdown"`) ||
					!strings.Contains(open, " IST") || !strings.Contains(open, " JST") ||
					!strings.Contains(open, u.cat.text(lang, "offers.left", "D", 2, "H", 1, "M", 0)) {
					t.Errorf("%s: the open offer lacks its buttons, countdown, zones or time left:\n%s", lang, open)
				}
				for i, card := range cards[1:] {
					if strings.Contains(card, "/accept") || strings.Contains(card, "/decline") {
						t.Errorf("%s: offer %d past its deadline still has buttons", lang, i+2)
					}
					if !strings.Contains(card, u.cat.text(lang, "offers.expired")) {
						t.Errorf("%s: offer %d past its deadline does not say it expired", lang, i+2)
					}
				}
			}
			found = true
		}
	}
	if !found {
		t.Fatal("no offers-deadlines fixture")
	}
}

// A published round's page has the demand table and the vacancy round
// form; a completed one the deadline field of the publish form.
func TestRoundPageOffersVacancyAndDemand(t *testing.T) {
	u := testUI(t)
	for _, f := range fixtures() {
		switch f.name {
		case "round-published":
			out := renderFixture(t, u, f, "en")
			for _, want := range []string{`action="/coord/rounds/r-1/vacancy"`, `name="offerDays"`, "<td>17</td>", "<td>9</td>"} {
				if !strings.Contains(out, want) {
					t.Errorf("published round page lacks %s", want)
				}
			}
		case "round":
			out := renderFixture(t, u, f, "en")
			if !strings.Contains(out, `name="respondBy"`) || strings.Contains(out, "/vacancy") {
				t.Errorf("completed round page: want the respondBy field and no vacancy form")
			}
		}
	}
}

// largeRound is a completed round of 250 proposed matches, the page
// showing the second hundred.
func largeRound(r Round, m Match, prof *profilesev.Profile) RoundData {
	r.Counts = map[string]int{"proposed": 250}
	mv := MatchView{Match: m, Applicant: prof}
	return RoundData{Round: r, Matches: []MatchView{mv}, Undecided: []MatchView{mv}, TotalMatches: 250,
		After: "m-100", First: "/coord/rounds/r-1#matches-h", Next: "/coord/rounds/r-1?after=m-200#matches-h"}
}

// A round of more matches than a page lists them a hundred at a time with
// links on, and offers to approve every proposed one at once, naming how
// many, behind a confirmation.
func TestLargeRoundPagesAndApprovesAll(t *testing.T) {
	u := testUI(t)
	for _, f := range fixtures() {
		if f.name != "round-large" {
			continue
		}
		out := renderFixture(t, u, f, "en")
		for _, want := range []string{
			`action="/coord/rounds/r-1/approve"`, `name="proposed" value="250"`, `<details class="confirm">`,
			"Approve all 250 proposed matches", "Showing 1 of 250",
			`href="/coord/rounds/r-1?after=m-200#matches-h" rel="next"`, `href="/coord/rounds/r-1#matches-h"`, "(250)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("large round page lacks %s", want)
			}
		}
		return
	}
	t.Fatal("no round-large fixture")
}

func TestRespondByIsReadInTheReadersZone(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"en", "2027-04-01T17:00", "2027-04-01T17:00:00Z"},
		{"ja", "2027-04-01T17:00", "2027-04-01T17:00:00+09:00"},
		{"hi", "2027-04-01T17:00", "2027-04-01T17:00:00+05:30"},
		{"en", "2027-04-01T17:00:00+05:30", "2027-04-01T17:00:00+05:30"},
		{"en", "", ""},
	} {
		got, ok := respondByOf(langZone(tc.lang), tc.in)
		if !ok || got != tc.want {
			t.Errorf("respondByOf(%s, %q) = %q, %v; want %q", tc.lang, tc.in, got, ok, tc.want)
		}
	}
	if _, ok := respondByOf(langZone("en"), "next tuesday"); ok {
		t.Error("respondByOf accepted \"next tuesday\"")
	}
}

// The applicant's ranking page shows the round's demand counts.
func TestRankingPageShowsDemand(t *testing.T) {
	u := testUI(t)
	for _, f := range fixtures() {
		if f.name != "applications" {
			continue
		}
		for _, lang := range Languages {
			out := renderFixture(t, u, f, lang)
			if !strings.Contains(out, `<table class="data demand">`) || !strings.Contains(out, "<td>11</td>") || !strings.Contains(out, "<td>4</td>") {
				t.Errorf("%s ranking page lacks the demand counts", lang)
			}
		}
		return
	}
	t.Fatal("no applications fixture")
}
