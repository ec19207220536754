package instancejson

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// Write and Decode agree on every policy field.
func TestPolicyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	withPolicies := 0
	checkRoundTrips(t, 300, func() *engine.Instance {
		in := enginetest.Random(r, enginetest.Options{Applicants: r.IntN(15), Programs: 1 + r.IntN(6), MaxCapacity: 5, ListProb: 0.5, MutualProb: 0.8, TieProb: 0.3})
		enginetest.AddPolicies(r, in, enginetest.PolicyOptions{
			Categories: []string{"women", "first \"generation\""}, CategoryProb: 0.4, ReserveProb: 0.5, FirstProb: 0.5,
			Regions: r.IntN(3), RegionProb: 0.6, CapFraction: 0.7, TargetProb: 0.5,
		})
		in.Seed = 0
		if in.HasPolicies() {
			withPolicies++
		}
		return in
	}, Decode)
	if withPolicies < 200 {
		t.Errorf("only %d of 300 instances had policies", withPolicies)
	}
}

// Bad policy input is refused with a message that names the item and its position.
func TestDecodePolicyErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"programs": [{"id": "p", "capacity": 1, "region": "Kanto"}]}`, `line 1, column 52 (byte 51): programs[0].region: unknown region "Kanto"`},
		{`{"programs": [{"id": "p", "capacity": 1, "reserves": [{"category": "women", "seats": 2}]}]}`, `programs[0]: reserves hold 2 seats, more than its capacity of 1`},
		{`{"programs": [{"id": "p", "capacity": 3, "region": "Tohoku"}, {"id": "q", "capacity": 2, "region": "Tohoku", "target": 1}], "regions": [{"id": "Tohoku", "cap": 3}]}`,
			`regions[0]: targets of region "Tohoku" add up to 4, more than its cap of 3`},
		{`{"programs": [{"id": "p", "capacity": 3, "target": -1}]}`, `programs[0].target: negative target -1`},
		{`{"regions": [{"id": "Tohoku", "cap": -40}]}`, `regions[0].cap: negative cap -40`},
		{`{"programs": [{"id": "p", "capacity": 3, "reserves": [{"category": "g", "seats": -1}]}]}`, `programs[0].reserves[0]: negative seats -1`},
		{`{"programs": [{"id": "p", "capacity": 3, "reserves": [{"seats": 1}]}]}`, `programs[0].reserves[0]: missing "category"`},
		{`{"programs": [{"id": "p", "capacity": 3, "reserveOrder": "middle"}]}`, `programs[0].reserveOrder: "middle" is not "last" or "first"`},
		{`{"regions": [{"id": "Tohoku", "cap": 1}, {"id": "Tohoku", "cap": 2}]}`, `duplicate region id "Tohoku" (first at line 1, column 14)`},
		{`{"programs": [{"id": "p", "capacity": 3, "region": "a", "region": "a"}], "regions": [{"id": "a", "cap": 3}]}`, `programs[0]: duplicate field "region"`},
		{`{"applicants": [{"id": "a", "categories": ["x", 3]}]}`, `applicants[0].categories[1]`},
	} {
		_, err := Decode([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Decode(%s) error = %v, want one line containing %q", tc.in, err, tc.want)
		}
	}
}

// Null stands for an absent region, target or reserve order, and for an empty list.
func TestDecodePolicyNulls(t *testing.T) {
	in, err := Decode([]byte(`{"applicants": [{"id": "a", "categories": null}],
		"programs": [{"id": "p", "capacity": 1, "region": null, "target": null, "reserveOrder": null, "reserves": null}],
		"regions": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if p := in.Programs[0]; p.Target != nil || p.Reserves != nil || p.ReserveOrder != engine.ReservesLast || in.Regions != nil || in.HasPolicies() {
		t.Fatalf("Decode() = %+v, want no policies", in)
	}
}

// A region's programs are those naming it, in input order, wherever the region is defined.
func TestDecodeRegionMembers(t *testing.T) {
	in, err := Decode([]byte(`{"programs": [{"id": "p0", "capacity": 1, "region": "b"}, {"id": "p1", "capacity": 2},
		{"id": "p2", "capacity": 3, "region": "a", "target": 2}, {"id": "p3", "capacity": 1, "region": "b"}],
		"regions": [{"id": "a", "cap": 2}, {"id": "b", "cap": 5}]}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []engine.Region{{ID: "a", Cap: 2, Programs: []int{2}}, {ID: "b", Cap: 5, Programs: []int{0, 3}}}
	if len(in.Regions) != 2 || in.Regions[0].ID != "a" || in.Regions[1].Cap != 5 ||
		len(in.Regions[1].Programs) != 2 || in.Regions[1].Programs[1] != 3 || in.Regions[0].Programs[0] != 2 {
		t.Fatalf("regions = %+v, want %+v", in.Regions, want)
	}
	if in.Programs[2].Target == nil || *in.Programs[2].Target != 2 || in.Programs[0].Target != nil {
		t.Fatalf("targets = %v, %v; want 2 and none", in.Programs[2].Target, in.Programs[0].Target)
	}
}
