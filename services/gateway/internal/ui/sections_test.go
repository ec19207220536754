package ui

import (
	"net/url"
	"reflect"
	"testing"

	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// A section's form shows that section alone, plus the consents when the
// applicant agreed to an older notice; the wizard shows its own sections.
func TestShownSections(t *testing.T) {
	stored := editing{exists: true, current: "2026-11",
		base: apiprofiles.ProfileRequest{Consents: apiprofiles.ConsentsRequest{NoticeVersion: "2026-11"}}}
	old := stored
	old.base.Consents.NoticeVersion = "2026-01"
	for _, tc := range []struct {
		name    string
		e       editing
		section string
		want    []string
		changed bool
	}{
		{"wizard", editing{current: "2026-11"}, "", WizardSections, false},
		{"skills", stored, "skills", []string{"skills"}, false},
		{"consents", stored, "consents", []string{"consents"}, false},
		{"skills under an old notice", old, "skills", []string{"skills", "consents"}, true},
		{"consents under an old notice", old, "consents", []string{"consents"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := tc.e.shown(tc.section)
			if !reflect.DeepEqual(got, tc.want) || changed != tc.changed {
				t.Errorf("shown(%q) = %v, %v; want %v, %v", tc.section, got, changed, tc.want, tc.changed)
			}
		})
	}
}

// Each section's answers change that section's fields and nothing else.
func TestApplySectionChangesOnlyItsFields(t *testing.T) {
	base := apiprofiles.ProfileRequest{Kind: "student", Name: "Asha Rao", HomeCountry: "IN", BirthYear: 2001,
		DegreeLevel: "master", Skills: []string{"nlp"}, Statement: "Flood forecasting.",
		Languages: []taxonomy.Language{{Code: "en", Level: "C1"}},
		Consents:  apiprofiles.ConsentsRequest{NoticeVersion: "2026-11", DataProcessing: true, VisibleToHosts: true}}
	form := url.Values{"kind": {"researcher"}, "name": {"A. Rao"}, "skills": {"nlp, ros"}, "lang0": {"ja"}, "level0": {"N2"},
		"statement": {"Changed."}, "dataProcessing": {""}, "birthYear": {"1990"}}

	got := base
	applySection(&got, "skills", form)
	want := base
	want.Skills = []string{"nlp", "ros"}
	want.Languages = []taxonomy.Language{{Code: "ja", Level: "N2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("skills section: got %+v, want %+v", got, want)
	}

	got = base
	applySection(&got, "statement", form)
	want = base
	want.Statement = "Changed."
	if !reflect.DeepEqual(got, want) {
		t.Errorf("statement section: got %+v, want %+v", got, want)
	}

	// The wizard's about section has no name input: the name stays.
	got = base
	noName := url.Values{"kind": {"researcher"}, "homeCountry": {"IN"}, "birthYear": {"1990"}}
	applySection(&got, "about", noName)
	if got.Name != "Asha Rao" || got.Kind != "researcher" || got.BirthYear != 1990 {
		t.Errorf("about without a name input: %+v, want the name kept and the rest changed", got)
	}
	applySection(&got, "about", form)
	if got.Name != "A. Rao" {
		t.Errorf("about with a name input: name %q, want A. Rao", got.Name)
	}
}
