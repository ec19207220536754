package programs

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// The wire names are fixed by DESIGN.md §3-§4; services, UI and demo all
// use these types, so these tests are where a renamed tag is caught.

func TestProgramRequestWire(t *testing.T) {
	seats, amount := 2, int64(150000)
	r := ProgramRequest{Title: "T", Description: "D", Kind: "joint_research", HostOrg: "Tohoku University",
		HostCountry: "JP", Region: "Miyagi", Fields: []string{"2.2"}, Seats: &seats,
		StartDate: "2027-06-01", EndDate: "2027-08-31", ApplicationDeadline: "2027-03-31",
		Stipend: &StipendRequest{Amount: &amount, Currency: "JPY", Period: "month"},
		Eligibility: eligibility.Rules{ApplicantKinds: []string{"student"},
			Languages: []taxonomy.LanguageRequirement{{Code: "en", MinLevel: "B2"}}, MaxAge: 35}}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"title", "description", "kind", "hostOrg", "hostCountry", "region", "fields", "seats",
		"startDate", "endDate", "applicationDeadline", "stipend", "eligibility"}
	if len(got) != len(want) {
		t.Errorf("json.Marshal(ProgramRequest) = %s, want exactly the keys %v", raw, want)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("json.Marshal(ProgramRequest) = %s, want key %q", raw, k)
		}
	}
	if s := got["stipend"].(map[string]any); s["amount"] != 150000.0 || s["currency"] != "JPY" || s["period"] != "month" {
		t.Errorf("stipend = %v, want {amount, currency, period}", s)
	}
}

func TestSearchResponseWire(t *testing.T) {
	score := 0.5
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	r := SearchResponse{Items: []SearchItem{{Program: programsev.Program{ID: "p1"}, Score: &score}}, Page: 1, PageSize: 20, Total: 1, AsOf: at}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Items []map[string]any `json:"items"`
		Page  int              `json:"page"`
		Size  int              `json:"pageSize"`
		Total int              `json:"total"`
		AsOf  string           `json:"asOf"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != 1 || got.Items[0]["id"] != "p1" || got.Items[0]["score"] != 0.5 || got.Page != 1 ||
		got.Size != 20 || got.Total != 1 || got.AsOf != "2026-12-01T00:00:00Z" {
		t.Errorf("json.Marshal(SearchResponse) = %s, want items with id and score, page, pageSize, total, asOf", raw)
	}
	raw, _ = json.Marshal(ImportResponse{Imported: 0, Items: []programsev.Program{}})
	if string(raw) != `{"imported":0,"items":[]}` {
		t.Errorf("json.Marshal(ImportResponse) = %s, want {\"imported\":0,\"items\":[]}", raw)
	}
}
