package demo

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
)

var today = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

func TestProgramsCoverEveryKindAndAreValid(t *testing.T) {
	kinds := map[string]int{}
	titles := map[string]bool{}
	n := 0
	for i, h := range hosts {
		if !taxonomy.IsRegion(h.Country, h.Region) {
			t.Errorf("host %s: %q is not a region of %s", h.Org, h.Region, h.Country)
		}
		for _, p := range programsOf(h, i, today) {
			n++
			kinds[p.Kind]++
			if titles[p.Title] {
				t.Errorf("title %q is used twice; titles must be unique for reloading", p.Title)
			}
			titles[p.Title] = true
			ep := eligibility.Program{HostCountry: p.HostCountry, StartDate: p.StartDate, EndDate: p.EndDate,
				ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility}
			if errs := eligibility.ValidateProgram(ep); len(errs) > 0 {
				t.Errorf("program %q: %v", p.Title, errs)
			}
			if p.ApplicationDeadline <= today.Format(dateLayout) {
				t.Errorf("program %q closes %s, want after today", p.Title, p.ApplicationDeadline)
			}
			for _, f := range p.Fields {
				if !taxonomy.IsField(f) {
					t.Errorf("program %q: field %q is not a field code", p.Title, f)
				}
			}
		}
	}
	if n != 30 {
		t.Errorf("%d programs, want 30", n)
	}
	for _, k := range taxonomy.ProgramKinds.Codes() {
		if kinds[k] == 0 {
			t.Errorf("no program of kind %s", k)
		}
	}
}

func TestPeopleAreVariedValidAndDeterministic(t *testing.T) {
	a := people(194, 2027, today, "2026-11")
	b := people(194, 2027, today, "2026-11")
	if !reflect.DeepEqual(a, b) {
		t.Fatal("people(194, 2027) differs between two calls, want the same people")
	}
	emails := map[string]bool{}
	countries, kinds, degrees := map[string]int{}, map[string]int{}, map[string]int{}
	minors := 0
	for _, pe := range a {
		p := pe.Profile
		if emails[pe.Email] {
			t.Errorf("e-mail %s is used twice", pe.Email)
		}
		emails[pe.Email] = true
		countries[p.HomeCountry]++
		kinds[p.Kind]++
		degrees[p.DegreeLevel]++
		if !taxonomy.IsRegion(p.HomeCountry, p.Region) {
			t.Errorf("%s: region %q is not in %s", p.Name, p.Region, p.HomeCountry)
		}
		for _, l := range p.Languages {
			if !taxonomy.ValidLevel(l.Code, l.Level) {
				t.Errorf("%s: %s level %q is not on its scale", p.Name, l.Code, l.Level)
			}
		}
		if p.AvailableFrom > p.AvailableTo {
			t.Errorf("%s: available from %s to %s", p.Name, p.AvailableFrom, p.AvailableTo)
		}
		if today.Year()-p.BirthYear < 18 {
			minors++
			if p.GuardianConsent == nil {
				t.Errorf("%s may be under 18 and has no guardian consent", p.Name)
			}
		}
	}
	for _, c := range []string{"IN", "JP"} {
		if countries[c] < 40 {
			t.Errorf("%d applicants from %s, want a good share of both countries", countries[c], c)
		}
	}
	for _, k := range taxonomy.ApplicantKinds.Codes() {
		if kinds[k] < 10 {
			t.Errorf("%d applicants of kind %s, want every kind", kinds[k], k)
		}
	}
	if len(degrees) < 5 || minors == 0 {
		t.Errorf("%d degree levels and %d minors, want variety", len(degrees), minors)
	}
	file, err := profilesCSV(a)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(file)).ReadAll()
	if err != nil {
		t.Fatalf("the import file is not CSV: %v", err)
	}
	if len(rows) != len(a)+1 || rows[0][0] != "email" {
		t.Errorf("the import file has %d lines starting %v, want a header and %d people", len(rows), rows[0][:1], len(a))
	}
}

func TestAccountsListEveryRole(t *testing.T) {
	roles := map[string]int{}
	for _, a := range Accounts() {
		roles[a.Role]++
		if a.Password != Password || a.Email == "" {
			t.Errorf("account %+v, want an e-mail address and the demo password", a)
		}
	}
	if roles["coordinator"] != 1 || roles["host"] != len(hosts) || roles["applicant"] != len(accountApplicants) {
		t.Errorf("Accounts() roles = %v", roles)
	}
}
