package enginetest_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/engine/enginetest"
)

// The benchmarks rely on the generator's shape; check it on a tenth of the NRMP size.
func TestNRMPShape(t *testing.T) {
	o := enginetest.NRMPOptions{Applicants: 5000, Seed: 3}
	in := enginetest.NRMP(o)
	if err := in.Validate(); err != nil {
		t.Fatalf("NRMP(%+v) is invalid: %v", o, err)
	}
	if len(in.Programs) != 650 {
		t.Errorf("NRMP(%+v) has %d programs, want 650", o, len(in.Programs))
	}
	seats, listed := 0, make([]int, len(in.Programs))
	for _, a := range in.Applicants {
		if len(a.Prefs) != 20 {
			t.Fatalf("applicant %s ranks %d programs, want 20", a.ID, len(a.Prefs))
		}
		for _, p := range a.Prefs {
			listed[p]++
		}
	}
	for p, prog := range in.Programs {
		seats += prog.Capacity
		if prog.Capacity < 1 || prog.Capacity > 15 || prog.Ranks != nil {
			t.Fatalf("program %s has capacity %d and ranks %v, want 1…15 and no ties", prog.ID, prog.Capacity, prog.Ranks)
		}
		if len(prog.Prefs) != listed[p] {
			t.Fatalf("program %s ranks %d applicants, but %d listed it", prog.ID, len(prog.Prefs), listed[p])
		}
	}
	if seats < 4500 || seats > 5500 {
		t.Errorf("NRMP(%+v) has %d seats, want about 5000", o, seats)
	}
	// Popularity skew: the most listed program draws far more than the median one.
	slices.Sort(listed)
	if top, median := listed[len(listed)-1], listed[len(listed)/2]; top < 5*median {
		t.Errorf("most listed program has %d applicants, median %d: want a clear skew", top, median)
	}
	if again := enginetest.NRMP(o); !reflect.DeepEqual(again, in) {
		t.Errorf("NRMP(%+v) differs between calls", o)
	}
}

func TestNRMPTies(t *testing.T) {
	in := enginetest.NRMP(enginetest.NRMPOptions{Applicants: 2000, Seed: 4, TieProb: 0.3})
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	tied := 0
	for _, p := range in.Programs {
		if p.Ranks != nil {
			tied++
		}
	}
	if tied < len(in.Programs)/2 {
		t.Errorf("%d of %d programs have ties at TieProb 0.3, want most", tied, len(in.Programs))
	}
}

func TestFromBytesIsValid(t *testing.T) {
	for _, data := range [][]byte{nil, {0xff}, {7, 4, 0xff, 0xff, 0xff, 0xff}, []byte("any bytes at all, long enough to fill every list")} {
		if err := enginetest.FromBytes(data).Validate(); err != nil {
			t.Errorf("FromBytes(%q) is invalid: %v", data, err)
		}
	}
}
