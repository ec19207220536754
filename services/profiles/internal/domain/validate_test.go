package domain

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

func asha() Draft {
	return Draft{
		Details: Details{
			Kind: "student", Name: "Asha Rao", HomeCountry: "IN", Institution: "IIT Madras", Region: "Tamil Nadu",
			Fields: []string{"1.2"}, Skills: []string{"machine learning", "nlp"},
			Languages:   []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "ja", Level: "N4"}},
			DegreeLevel: "master", BirthYear: 2001, AvailableFrom: "2027-04-01", AvailableTo: "2028-03-31",
			Preferences: Preferences{ProgramKinds: []string{"exchange", "joint_research"}, HostRegions: []string{"Tokyo"}},
			Statement:   "I build language tools.", Gender: "female",
		},
		Consents: ConsentChoice{NoticeVersion: NoticeVersion, DataProcessing: true, CrossBorderTransfer: true, VisibleToHosts: true},
	}
}

func fields(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, p := range ve.Problems {
		out = append(out, p.Field)
	}
	return out
}

func TestValidateAcceptsAndNormalizes(t *testing.T) {
	d := asha()
	d.Name = "  Asha   Rao "
	d.Region = "tamil nadu"
	d.Languages = []taxonomy.Language{{Code: "EN", Level: "c1"}, {Code: "ja", Level: "NATIVE"}}
	d.Preferences.HostRegions = []string{"tokyo", "Hyōgo"}
	got, err := Validate(d, now)
	if err != nil {
		t.Fatalf("Validate(asha) = %v, want nil", err)
	}
	for _, c := range []struct{ name, got, want string }{
		{"name", got.Name, "Asha Rao"},
		{"region", got.Region, "Tamil Nadu"},
		{"languages[0]", got.Languages[0].Code + ":" + got.Languages[0].Level, "en:C1"},
		{"languages[1]", got.Languages[1].Code + ":" + got.Languages[1].Level, "ja:native"},
		{"hostRegions", strings.Join(got.Preferences.HostRegions, ","), "Tokyo,Hyogo"},
	} {
		if c.got != c.want {
			t.Errorf("Validate: %s = %q, want %q", c.name, c.got, c.want)
		}
	}
	again, err := Validate(got, now)
	if err != nil || again.Name != got.Name || again.Region != got.Region {
		t.Errorf("Validate(normalized) = %+v, %v; want the same draft, nil", again.Details, err)
	}
}

func TestValidateRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(d *Draft)
		field string
	}{
		{"kind missing", func(d *Draft) { d.Kind = "" }, "kind"},
		{"kind unknown", func(d *Draft) { d.Kind = "professor" }, "kind"},
		{"name missing", func(d *Draft) { d.Name = "  " }, "name"},
		{"name too long", func(d *Draft) { d.Name = strings.Repeat("a", MaxNameLen+1) }, "name"},
		{"name control", func(d *Draft) { d.Name = "Asha\x00Rao" }, "name"},
		// Issue 16, finding 6: invisible format characters (Cf) make look-alike names.
		{"name with bidi override", func(d *Draft) { d.Name = "\u202eevil\u202c Admin" }, "name"},
		{"name with zero-width space", func(d *Draft) { d.Name = "Asha\u200bRao" }, "name"},
		{"institution with bidi isolate", func(d *Draft) { d.Institution = "IIT\u2067 Madras" }, "institution"},
		{"country unknown", func(d *Draft) { d.HomeCountry = "US" }, "homeCountry"},
		{"country missing", func(d *Draft) { d.HomeCountry = "" }, "homeCountry"},
		{"region of other country", func(d *Draft) { d.Region = "Tokyo" }, "region"},
		{"region unknown", func(d *Draft) { d.HomeCountry, d.Region = "JP", "Tamil Nadu" }, "region"},
		{"field unknown", func(d *Draft) { d.Fields = []string{"1.2", "9.9"} }, "fields[1]"},
		{"field twice", func(d *Draft) { d.Fields = []string{"1.2", "1.2"} }, "fields[1]"},
		{"too many fields", func(d *Draft) { d.Fields = strings.Split("1,1.1,1.2,1.3,1.4,1.5,1.6,1.7,2,2.1,2.2", ",") }, "fields"},
		{"skill empty", func(d *Draft) { d.Skills = []string{"nlp", " "} }, "skills[1]"},
		{"skill twice", func(d *Draft) { d.Skills = []string{"NLP", "nlp"} }, "skills[1]"},
		{"language unknown", func(d *Draft) { d.Languages = []taxonomy.Language{{Code: "xx", Level: "A1"}} }, "languages[0].code"},
		{"japanese on CEFR", func(d *Draft) { d.Languages = []taxonomy.Language{{Code: "ja", Level: "B2"}} }, "languages[0].level"},
		{"english on JLPT", func(d *Draft) { d.Languages = []taxonomy.Language{{Code: "en", Level: "N2"}} }, "languages[0].level"},
		{"language twice", func(d *Draft) {
			d.Languages = []taxonomy.Language{{Code: "en", Level: "C1"}, {Code: "en", Level: "B1"}}
		}, "languages[1].code"},
		{"degree unknown", func(d *Draft) { d.DegreeLevel = "diploma" }, "degreeLevel"},
		{"degree missing", func(d *Draft) { d.DegreeLevel = "" }, "degreeLevel"},
		{"birth year missing", func(d *Draft) { d.BirthYear = 0 }, "birthYear"},
		{"birth year too old", func(d *Draft) { d.BirthYear = 1900 }, "birthYear"},
		{"birth year in future", func(d *Draft) { d.BirthYear = 2030 }, "birthYear"},
		{"from not a date", func(d *Draft) { d.AvailableFrom = "01/04/2027" }, "availableFrom"},
		{"to impossible", func(d *Draft) { d.AvailableTo = "2027-02-30" }, "availableTo"},
		{"dates reversed", func(d *Draft) { d.AvailableFrom, d.AvailableTo = "2028-01-01", "2027-01-01" }, "availableTo"},
		{"program kind unknown", func(d *Draft) { d.Preferences.ProgramKinds = []string{"holiday"} }, "preferences.programKinds[0]"},
		{"host region unknown", func(d *Draft) { d.Preferences.HostRegions = []string{"Atlantis"} }, "preferences.hostRegions[0]"},
		{"statement too long", func(d *Draft) { d.Statement = strings.Repeat("あ", MaxStatementLen+1) }, "statement"},
		{"gender unknown", func(d *Draft) { d.Gender = "x" }, "gender"},
		{"category without consent", func(d *Draft) { d.Categories = []string{"rural"} }, "categories"},
		{"category unknown", func(d *Draft) { d.Categories, d.Consents.Categories = []string{"caste"}, true }, "categories[0]"},
		{"category twice", func(d *Draft) { d.Categories, d.Consents.Categories = []string{"women", "women"}, true }, "categories[1]"},
		{"too many categories", func(d *Draft) {
			d.Categories, d.Consents.Categories = []string{"women", "rural", "disability", "first_generation", "northeast_india", "tier2_institution", "women"}, true
		}, "categories"},
		{"notice missing", func(d *Draft) { d.Consents.NoticeVersion = "" }, "consents.noticeVersion"},
		{"notice outdated", func(d *Draft) { d.Consents.NoticeVersion = "2025-01" }, "consents.noticeVersion"},
		{"no processing consent", func(d *Draft) { d.Consents.DataProcessing = false }, "consents.dataProcessing"},
		{"minor without guardian", func(d *Draft) { d.BirthYear = 2009 }, "guardianConsent"},
		{"guardian for adult", func(d *Draft) { d.Guardian = &GuardianChoice{Name: "Ravi Rao", Relation: "parent"} }, "guardianConsent"},
		{"guardian without name", func(d *Draft) {
			d.BirthYear, d.Guardian = 2009, &GuardianChoice{Relation: "parent"}
		}, "guardianConsent.name"},
		{"guardian relation unknown", func(d *Draft) {
			d.BirthYear, d.Guardian = 2009, &GuardianChoice{Name: "Ravi Rao", Relation: "uncle"}
		}, "guardianConsent.relation"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := asha()
			tc.edit(&d)
			_, err := Validate(d, now)
			got := fields(err)
			if len(got) != 1 || got[0] != tc.field {
				t.Errorf("Validate() problems at %v (%v), want exactly [%s]", got, err, tc.field)
			}
		})
	}
}

func TestValidateListsEveryProblem(t *testing.T) {
	d := asha()
	d.Kind, d.HomeCountry, d.DegreeLevel, d.Consents.DataProcessing = "x", "US", "y", false
	_, err := Validate(d, now)
	want := []string{"kind", "homeCountry", "degreeLevel", "consents.dataProcessing"}
	if got := fields(err); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Validate() problems at %v, want %v", got, want)
	}
}

func TestMightBeMinor(t *testing.T) {
	for _, tc := range []struct {
		born int
		want bool
	}{
		{2010, true}, {2008, true}, {2007, false}, {1990, false},
	} {
		if got := MightBeMinor(tc.born, now); got != tc.want {
			t.Errorf("MightBeMinor(%d, 2026) = %v, want %v", tc.born, got, tc.want)
		}
	}
}

func TestMinorWithGuardianIsRecorded(t *testing.T) {
	d := asha()
	d.BirthYear = 2010
	d.Guardian = &GuardianChoice{Name: " Ravi  Rao ", Relation: "parent"}
	p, err := New("u1", d, now, "")
	if err != nil {
		t.Fatalf("New(minor with guardian) = %v, want nil", err)
	}
	if p.Guardian == nil || p.Guardian.Name != "Ravi Rao" || !p.Guardian.At.Equal(now) || p.Guardian.NoticeVersion != NoticeVersion {
		t.Errorf("New(minor).Guardian = %+v, want Ravi Rao recorded at %v under %s", p.Guardian, now, NoticeVersion)
	}
}

func TestReviseRecordsConsentChanges(t *testing.T) {
	p, err := New("u1", asha(), now, "")
	if err != nil {
		t.Fatal(err)
	}
	later := now.Add(time.Hour)

	changed, err := p.Revise(asha(), later)
	if err != nil || changed || p.Version != 1 {
		t.Fatalf("Revise(same) = %v, %v, version %d; want false, nil, 1", changed, err, p.Version)
	}

	d := asha()
	d.Consents.VisibleToHosts = false
	d.Statement = "Changed."
	changed, err = p.Revise(d, later)
	if err != nil || !changed {
		t.Fatalf("Revise(withdraw visibility) = %v, %v; want true, nil", changed, err)
	}
	if p.Version != 2 || !p.UpdatedAt.Equal(later) {
		t.Errorf("after Revise: version %d, updatedAt %v; want 2, %v", p.Version, p.UpdatedAt, later)
	}
	if v := p.Consents.VisibleToHosts; v.Granted || !v.At.Equal(later) {
		t.Errorf("VisibleToHosts = %+v, want withdrawn at %v", v, later)
	}
	if dp := p.Consents.DataProcessing; !dp.Granted || !dp.At.Equal(now) {
		t.Errorf("DataProcessing = %+v, want still granted at %v", dp, now)
	}
	if p.CreatedAt != now {
		t.Errorf("CreatedAt = %v, want %v", p.CreatedAt, now)
	}

	bad := asha()
	bad.Kind = ""
	before := *p
	if _, err := p.Revise(bad, later); err == nil || p.Version != before.Version || p.Kind != before.Kind {
		t.Errorf("Revise(invalid) = %v and changed the profile to version %d; want an error and no change", err, p.Version)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"Asha@Example.org", "asha@example.org", true},
		{" asha@example.org ", "asha@example.org", true},
		{"asha", "", false},
		{"Asha <asha@example.org>", "", false},
		{"asha@localhost", "", false},
		{"", "", false},
		{"asha\u200b@example.org", "", false},
		{"\u202easha@example.org", "", false},
	} {
		got, err := NormalizeEmail(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestImportedIDIsStable(t *testing.T) {
	a, b := ImportedID("asha@example.org"), ImportedID("ASHA@example.org")
	if a != b || a == ImportedID("ravi@example.org") || len(a) != 36 {
		t.Errorf("ImportedID = %q, %q; want one UUID per address regardless of case", a, b)
	}
}
