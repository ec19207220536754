package profiles

import (
	"encoding/json"
	"testing"
	"time"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// The wire names are fixed by DESIGN.md §3-§4; services, UI and demo all
// use these types, so these tests are where a renamed tag is caught.

func TestProfileRequestWire(t *testing.T) {
	r := ProfileRequest{Kind: "student", Name: "Asha Rao", HomeCountry: "IN", Institution: "IIT Madras",
		Region: "Tamil Nadu", Fields: []string{"1.2"}, Skills: []string{"nlp"},
		Languages: []taxonomy.Language{{Code: "ja", Level: "N4"}}, DegreeLevel: "master", BirthYear: 2001,
		AvailableFrom: "2027-04-01", AvailableTo: "2028-03-31",
		Preferences: PreferencesRequest{ProgramKinds: []string{"exchange"}, HostRegions: []string{"Tokyo"}},
		Statement:   "s", Gender: "female", Categories: []string{"women", "rural"},
		Consents: ConsentsRequest{NoticeVersion: "2026-11", DataProcessing: true, CrossBorderTransfer: true, VisibleToHosts: true,
			Categories: true},
		GuardianConsent: &GuardianRequest{Name: "R Rao", Relation: "parent"}}
	want := `{"kind":"student","name":"Asha Rao","homeCountry":"IN","institution":"IIT Madras","region":"Tamil Nadu",` +
		`"fields":["1.2"],"skills":["nlp"],"languages":[{"code":"ja","level":"N4"}],"degreeLevel":"master",` +
		`"birthYear":2001,"availableFrom":"2027-04-01","availableTo":"2028-03-31",` +
		`"preferences":{"programKinds":["exchange"],"hostRegions":["Tokyo"]},"statement":"s","gender":"female",` +
		`"categories":["women","rural"],` +
		`"consents":{"noticeVersion":"2026-11","dataProcessing":true,"crossBorderTransfer":true,"visibleToHosts":true,"categories":true},` +
		`"guardianConsent":{"name":"R Rao","relation":"parent"}}`
	wire(t, r, want)
	r.GuardianConsent = nil
	var back map[string]any
	raw, _ := json.Marshal(r)
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if _, ok := back["guardianConsent"]; ok {
		t.Errorf("ProfileRequest without a guardian = %s, want no guardianConsent", raw)
	}
}

func TestProfileWire(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	p := Profile{Profile: profilesev.Profile{ID: "u1", Kind: "student", Name: "A", HomeCountry: "IN",
		Fields: []string{}, Skills: []string{}, Languages: []taxonomy.Language{}, DegreeLevel: "phd", BirthYear: 1999,
		Preferences: profilesev.Preferences{ProgramKinds: []string{}, HostRegions: []string{}},
		Consents:    profilesev.Consents{NoticeVersion: "2026-11", DataProcessing: true},
		CreatedAt:   at, UpdatedAt: at}, Email: "a@example.org", Version: 3}
	want := `{"id":"u1","kind":"student","name":"A","homeCountry":"IN","fields":[],"skills":[],"languages":[],` +
		`"degreeLevel":"phd","birthYear":1999,"preferences":{"programKinds":[],"hostRegions":[]},` +
		`"consents":{"noticeVersion":"2026-11","dataProcessing":true,"crossBorderTransfer":false,"visibleToHosts":false,` +
		`"categories":false,` +
		`"recorded":{"dataProcessing":{"at":"0001-01-01T00:00:00Z","noticeVersion":""},` +
		`"crossBorderTransfer":{"at":"0001-01-01T00:00:00Z","noticeVersion":""},` +
		`"visibleToHosts":{"at":"0001-01-01T00:00:00Z","noticeVersion":""},` +
		`"categories":{"at":"0001-01-01T00:00:00Z","noticeVersion":""}}},` +
		`"createdAt":"2026-12-01T09:00:00Z","updatedAt":"2026-12-01T09:00:00Z","email":"a@example.org","version":3}`
	wire(t, p, want)
}

func TestNoticeWire(t *testing.T) {
	wire(t, ConsentNotice{Version: "v", PublishedAt: "d", Language: "en", Text: "t"},
		`{"version":"v","publishedAt":"d","language":"en","text":"t"}`)
}

func wire(t *testing.T, v any, want string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != want {
		t.Errorf("json.Marshal(%T) =\n%s\nwant\n%s", v, raw, want)
	}
}

func TestImportResultAndExportWire(t *testing.T) {
	wire(t, ImportResult{BatchID: "b", Rows: 1, Inserted: 1, Items: []ImportedRow{{Line: 2, ID: "u"}}},
		`{"batchId":"b","rows":1,"inserted":1,"alreadyImported":false,"items":[{"line":2,"id":"u"}]}`)
	wire(t, Export{UserID: "u", GeneratedAt: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC),
		Services: map[string]json.RawMessage{"profiles": json.RawMessage(`{}`)}, Unavailable: []string{}},
		`{"userId":"u","generatedAt":"2027-01-02T00:00:00Z","services":{"profiles":{}},"unavailable":[]}`)
}
