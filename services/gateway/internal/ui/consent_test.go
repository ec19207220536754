package ui

import (
	"strings"
	"testing"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// TestProfileAsksToConfirmANewNotice: a profile whose consents were given
// under another notice than the one in force shows, in each language, that
// the notice changed and links to the consent step; an up-to-date one does
// not.
func TestProfileAsksToConfirmANewNotice(t *testing.T) {
	u := testUI(t)
	old := sampleProfile
	old.Consents.NoticeVersion = "2026-11"
	current := sampleProfile
	current.Consents.NoticeVersion = "2026-12"
	notice := apiprofiles.ConsentNotice{Version: "2026-12", PublishedAt: "2026-12-07", Language: "en"}
	for lang, words := range map[string]string{"en": "notice has changed", "ja": "お知らせが変更されました", "hi": "सूचना बदल गई है"} {
		out := renderFixture(t, u, fixture{tmpl: "profile", role: "applicant", title: "profile.title", data: ProfileData{Profile: old, Notice: notice, NoticeChanged: true, Sections: Sections}}, lang)
		if !strings.Contains(out, `id="notice-changed"`) || !strings.Contains(out, words) || !strings.Contains(out, `href="/profile/edit/consents"`) ||
			!strings.Contains(out, "2026-11") {
			t.Errorf("%s: a profile under notice 2026-11 does not ask to confirm 2026-12: %s", lang, out)
		}
		out = renderFixture(t, u, fixture{tmpl: "profile", role: "applicant", title: "profile.title", data: ProfileData{Profile: current, Notice: notice, Sections: Sections}}, lang)
		if strings.Contains(out, `id="notice-changed"`) {
			t.Errorf("%s: an up-to-date profile is asked to confirm again", lang)
		}
	}
}

// TestCandidatesPageLimitedView: a candidate who did not apply is shown by
// initials with what the host may see, in each language; one who applied
// by name, and one a coordinator sees by name without the note.
func TestCandidatesPageLimitedView(t *testing.T) {
	u := testUI(t)
	data := CandidatesData{Program: sampleProgram, CanRank: true, Candidates: []CandidateView{
		{Candidate: apimatching.Candidate{ApplicantID: "a-1", Name: "Asha Rao", HomeCountry: "IN", Kind: "student", DegreeLevel: "master", Applied: true}},
		{Candidate: apimatching.Candidate{ApplicantID: "a-2", Initials: "M. P.", Institution: "IIT Bombay", HomeCountry: "IN", Kind: "student",
			DegreeLevel: "phd", Skills: []string{"hydrology"}, Languages: []taxonomy.Language{{Code: "ja", Level: "N3"}}}},
		// As a coordinator receives a findable non-applicant: by name, so
		// without the note on the host's limited view.
		{Candidate: apimatching.Candidate{ApplicantID: "a-3", Name: "Kenji Mori", HomeCountry: "JP", Kind: "researcher", DegreeLevel: "phd"}}}}
	for lang, words := range map[string]string{"en": "you see only what they let eligible hosts see", "ja": "未応募", "hi": "आवेदन नहीं किया"} {
		out := renderFixture(t, u, fixture{tmpl: "candidates", role: "host", title: "cands.title", data: data}, lang)
		for _, want := range []string{"Asha Rao", "Kenji Mori", "M. P.", "IIT Bombay", "hydrology", "N3", words} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the candidates page lacks %q", lang, want)
			}
		}
		if n := strings.Count(out, `class="hint cands-limited"`); n != 1 {
			t.Errorf("%s: %d limited-view notes, want 1 (for the one who did not apply)", lang, n)
		}
	}
}
