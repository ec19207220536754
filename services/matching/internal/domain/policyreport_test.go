package domain

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestReportSuppressesSmallPolicyGroups(t *testing.T) {
	r := &Round{ID: "r", ProgramIDs: []string{"p1", "p2"}, PolicyUse: &PolicyUse{
		Reserves: []ReserveUse{
			{ProgramID: "p1", Category: "women", Seats: 8, ToCategory: 6, Reverted: 2},
			{ProgramID: "p2", Category: "women", Seats: 6, ToCategory: 5, Reverted: 1},
			{ProgramID: "p2", Category: "first_generation", Seats: 3, ToCategory: 3},
		},
		Regions: []RegionUse{{RegionID: "t", Name: "Tohoku", Cap: 40, Filled: 31}, {RegionID: "k", Name: "Kyushu", Cap: 5, Filled: 4}},
	}}
	rep := BuildReport(r, map[string]int{}, map[string]string{}, nil, nil, time.Unix(0, 0))
	if len(rep.ByCategory) != 2 {
		t.Fatalf("ByCategory = %+v, want first_generation and women", rep.ByCategory)
	}
	fg, women := rep.ByCategory[0], rep.ByCategory[1]
	if women.Category != "women" || women.Reserved != 14 || women.ToCategory.N == nil || *women.ToCategory.N != 11 ||
		!women.Reverted.Suppressed || women.Reverted.N != nil || women.Reverted.Display != "<10" {
		t.Errorf("women = %+v, want 14 reserved, 11 to the category, reverted <10", women)
	}
	if fg.Reserved != 3 || !fg.ToCategory.Suppressed {
		t.Errorf("first_generation = %+v, want 3 reserved, filled <10", fg)
	}
	if len(rep.ByRegion) != 2 || rep.ByRegion[0].Filled.Display != "31" || rep.ByRegion[0].Cap != 40 ||
		!rep.ByRegion[1].Filled.Suppressed || rep.ByRegion[1].Cap != 5 {
		t.Errorf("ByRegion = %+v, want Tohoku 31 of 40, Kyushu <10 of 5", rep.ByRegion)
	}
	// The JSON carries the marker, never the suppressed number.
	raw, _ := json.Marshal(rep.ByRegion[1])
	if strings.Contains(string(raw), `"n"`) || !strings.Contains(string(raw), `"suppressed":true`) {
		t.Errorf("suppressed region JSON = %s, want the marker without n", raw)
	}

	plain := BuildReport(&Round{ID: "r"}, map[string]int{}, map[string]string{}, nil, nil, time.Unix(0, 0))
	if plain.ByCategory == nil || plain.ByRegion == nil || len(plain.ByCategory)+len(plain.ByRegion) != 0 {
		t.Errorf("report of a round without policy = %v %v, want empty lists", plain.ByCategory, plain.ByRegion)
	}
}

func TestCheckPolicy(t *testing.T) {
	round := []string{"a", "b", "c"}
	seats := map[string]int{"a": 2, "b": 3, "c": 1}
	ok := &Policy{Regions: []Region{{ID: "r", Cap: 3, ProgramIDs: []string{"a", "b"}, Targets: map[string]int{"b": 1}}}}
	if errs := CheckPolicy(ok, round, seats); len(errs) != 0 {
		t.Errorf("CheckPolicy(valid) = %v, want none", errs)
	}
	over := &Policy{Regions: []Region{{ID: "r", Cap: 3, ProgramIDs: []string{"a", "b"}, Targets: map[string]int{"b": 4}}}}
	errs := CheckPolicy(over, round, seats)
	var fields []string
	for _, e := range errs {
		fields = append(fields, e.Field)
	}
	if got := strings.Join(fields, ","); got != "policy.regions[0].targets.b,policy.regions[0].cap" {
		t.Errorf("CheckPolicy(target over seats and cap) fields = %s, want the target and the cap", got)
	}
}

func TestSuppressSmallGroups(t *testing.T) {
	g := func(v string, apps, matched int) GroupRate {
		return GroupRate{Value: v, Applicants: apps, Matched: matched, Rate: float64(matched) / float64(apps)}
	}
	tests := []struct {
		name string
		in   []GroupRate
		want map[string]string // value → display of the suppressed groups
	}{
		{"all large", []GroupRate{g("IN", 40, 10), g("JP", 12, 3)}, map[string]string{}},
		// One small group alone would be total − the others: the smallest
		// shown group goes too.
		{"one small", []GroupRate{g("IN", 40, 10), g("JP", 12, 3), g("KR", 1, 0)}, map[string]string{"KR": "<10", "JP": "hidden"}},
		{"two small", []GroupRate{g("IN", 40, 10), g("JP", 3, 3), g("KR", 1, 0)}, map[string]string{"JP": "<10", "KR": "<10"}},
		{"only small", []GroupRate{g("female", 6, 2), g("non_binary", 1, 0)}, map[string]string{"female": "<10", "non_binary": "<10"}},
		{"exactly ten shows", []GroupRate{g("IN", 10, 1), g("JP", 10, 2)}, map[string]string{}},
	}
	for _, tc := range tests {
		groups := slices.Clone(tc.in)
		suppressSmallGroups(groups)
		for i, got := range groups {
			display, hidden := tc.want[got.Value]
			switch {
			case hidden && (!got.Suppressed || got.Display != display || got.Applicants != 0 || got.Matched != 0 || got.Rate != 0):
				t.Errorf("%s: %s = %+v, want suppressed as %q with no numbers", tc.name, got.Value, got, display)
			case !hidden && got != tc.in[i]:
				t.Errorf("%s: %s = %+v, want it shown unchanged", tc.name, got.Value, got)
			}
		}
	}
}
