package ui

import (
	"net/url"
	"strings"
	"testing"
	"time"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/explain"
)

// policyFixtures are the pages of round policies and mock runs, for the
// every-page test.
func policyFixtures(round Round, prog programsev.Program, prof profilesev.Profile, reasons []explain.Reason) []fixture {
	withPolicy := round
	withPolicy.Policy = &apimatching.Policy{Regions: []apimatching.Region{{ID: "tohoku", Name: "Tohoku", Cap: 40,
		ProgramIDs: []string{"p-1"}, Targets: map[string]int{"p-1": 2}}}}
	progs := map[string]*programsev.Program{"p-1": &prog}
	mock := &apimatching.MockRun{RoundID: "r-1", RanAt: time.Date(2027, 1, 6, 9, 0, 0, 0, time.UTC), RanBy: "c-1",
		Items: []apimatching.MockItem{{ApplicantID: "a-1", ProgramID: "p-1", Reasons: reasons[len(reasons)-4:]}},
		Fill: apimatching.MockFill{
			Programs:   []apimatching.ProgramFill{{ProgramID: "p-1", Title: prog.Title, Seats: 2, Filled: 1, Rate: 0.5}},
			Regions:    []apimatching.RegionFill{{RegionID: "tohoku", Name: "Tohoku", Cap: 40, Filled: 31, Rate: 0.775}},
			Categories: []apimatching.CategoryFill{{Category: "women", Reserved: 2, ToCategory: 1, Reverted: 1, Rate: 0.5}}}}
	form := url.Values{"name": {"Spring"}, "programIds": {"p-1"}, "region0.id": {"tohoku"}, "region0.name": {"Tohoku"},
		"region0.cap": {"1"}, "region0.programs": {"p-1"}, "region0.target.p-1": {"5"}}
	return []fixture{
		{name: "round-new-policy", tmpl: "round_new", role: "coordinator", title: "rnew.title", form: form,
			data: RoundFormData{Programs: []programsev.Program{prog}, Regions: regionRows()}, errs: true},
		{name: "round-policy", tmpl: "round", role: "coordinator", title: "round.title", data: RoundData{Round: withPolicy, Programs: progs}},
		{name: "mock", tmpl: "mock", role: "coordinator", title: "mock.title",
			data: MockData{Round: withPolicy, Mock: mock, Programs: progs, People: map[string]*profilesev.Profile{"a-1": &prof}}},
		{name: "mock-empty", tmpl: "mock", role: "coordinator", title: "mock.title", data: MockData{Round: withPolicy, Programs: progs}},
	}
}

func samplePolicyReport() ([]apimatching.CategoryReport, []apimatching.RegionReport) {
	n := 14
	return []apimatching.CategoryReport{{Category: "women", Reserved: 20, ToCategory: apimatching.Count{N: &n, Display: "14"},
			Reverted: apimatching.Count{Suppressed: true, Display: "<10"}}},
		[]apimatching.RegionReport{{RegionID: "tohoku", Name: "Tohoku", Cap: 40, Filled: apimatching.Count{Suppressed: true, Display: "<10"}}}
}

// TestPolicyFieldsReachTheirInputs places the API's policy field errors
// at the editor's inputs, by form row, skipping the rows left empty.
func TestPolicyFieldsReachTheirInputs(t *testing.T) {
	m := roundFields([]int{0, 2}) // the policy's regions come from rows 0 and 2
	cases := []struct{ field, name, label string }{
		{"policy.regions[1].cap", "region2.cap", "rpol.cap"},
		{"policy.regions[0].programIds[3]", "region0.programs", "rpol.programs"},
		{"policy.regions[1].targets.p-1", "region2.target.p-1", "rpol.target"},
		{"policy.regions[0].id", "region0.id", "rpol.id"},
		{"policy.regions", "policy", "rpol.title"},
		{"programIds[2]", "programIds", "rnew.programs"},
	}
	for _, tc := range cases {
		name, label, ok := m(tc.field)
		if !ok || name != tc.name || label != tc.label {
			t.Errorf("roundFields(%q) = %q, %q, %v; want %q, %q", tc.field, name, label, ok, tc.name, tc.label)
		}
	}
}

func TestParsePolicySkipsEmptyRowsAndReadsTargets(t *testing.T) {
	f := newForm(nil)
	v := url.Values{"region1.id": {" kyushu "}, "region1.cap": {"3"}, "region1.programs": {"p-2", "p-1"},
		"region1.target.p-1": {"1"}, "region1.target.p-2": {""}, "region2.cap": {"x"}}
	pol, rows := parsePolicy(v, f)
	if pol == nil || len(pol.Regions) != 2 || rows[0] != 1 || rows[1] != 2 {
		t.Fatalf("parsePolicy = %+v rows %v, want regions from rows 1 and 2", pol, rows)
	}
	r := pol.Regions[0]
	if r.ID != "kyushu" || r.Cap != 3 || strings.Join(r.ProgramIDs, ",") != "p-2,p-1" || len(r.Targets) != 1 || r.Targets["p-1"] != 1 {
		t.Errorf("region = %+v, want kyushu cap 3 over p-2, p-1 with p-1's target 1", r)
	}
	if !f.Invalid("region2.cap") {
		t.Errorf("a cap that is not a number left no error: %+v", f.Errors)
	}
	if pol, _ := parsePolicy(url.Values{}, newForm(nil)); pol != nil {
		t.Errorf("parsePolicy(empty form) = %+v, want nil", pol)
	}
}
