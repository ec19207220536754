package domain

import (
	"reflect"
	"testing"
)

// TestVacancyPolicy: caps lowered by the seats held in the region,
// programs without seats left dropped (and a region left empty), explicit
// targets lowered by what the program holds, and every target clipped in
// the region's order to the room the lowered cap leaves.
func TestVacancyPolicy(t *testing.T) {
	parent := &Policy{Regions: []Region{
		{ID: "N", Name: "North", Cap: 10, ProgramIDs: []string{"a", "b", "c"}, Targets: map[string]int{"a": 4, "c": 1}},
		{ID: "S", Name: "South", Cap: 3, ProgramIDs: []string{"d"}},
		{ID: "E", Name: "East", Cap: 5, ProgramIDs: []string{"e"}},
	}}
	for _, tc := range []struct {
		name       string
		held, left map[string]int
		want       *Policy
	}{
		{"nothing held", map[string]int{}, map[string]int{"a": 4, "b": 2, "c": 1, "d": 2, "e": 1},
			&Policy{Regions: []Region{
				{ID: "N", Name: "North", Cap: 10, ProgramIDs: []string{"a", "b", "c"}, Targets: map[string]int{"a": 4, "c": 1}},
				{ID: "S", Name: "South", Cap: 3, ProgramIDs: []string{"d"}},
				{ID: "E", Name: "East", Cap: 5, ProgramIDs: []string{"e"}},
			}}},
		// North: 3 + 4 held, cap 3; a's target 4-3 = 1; b's default 2
		// clipped to the 2 left; c's 1 to the 0 left. b full, so gone.
		// South: d holds 3 of 3 → cap 0, d's default target 0. East:
		// nothing left, dropped.
		{"seats held", map[string]int{"a": 3, "b": 4, "d": 3}, map[string]int{"a": 2, "c": 1, "d": 1},
			&Policy{Regions: []Region{
				{ID: "N", Name: "North", Cap: 3, ProgramIDs: []string{"a", "c"}, Targets: map[string]int{"a": 1, "c": 1}},
				{ID: "S", Name: "South", Cap: 0, ProgramIDs: []string{"d"}, Targets: map[string]int{"d": 0}},
			}}},
		{"room runs out in order", map[string]int{"a": 0, "b": 8}, map[string]int{"a": 3, "b": 2, "c": 1},
			&Policy{Regions: []Region{
				{ID: "N", Name: "North", Cap: 2, ProgramIDs: []string{"a", "b", "c"}, Targets: map[string]int{"a": 2, "b": 0, "c": 0}},
			}}},
		{"no region keeps a program", map[string]int{"a": 1}, map[string]int{"x": 1}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := VacancyPolicy(parent, tc.held, tc.left)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("VacancyPolicy = %+v, want %+v", got, tc.want)
			}
			if got != nil {
				seats := map[string]int{}
				var ids []string
				for id, n := range tc.left {
					seats[id] = n
					ids = append(ids, id)
				}
				if bad := CheckPolicy(got, ids, seats); len(bad) > 0 {
					t.Errorf("the inherited policy fails the check a new round's policy passes: %v", bad)
				}
			}
		})
	}
	if VacancyPolicy(nil, nil, map[string]int{"a": 1}) != nil {
		t.Error("a round without a policy passed one on")
	}
}
