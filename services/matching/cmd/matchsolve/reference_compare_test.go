package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// refMatchsolve runs matchsolve's real entry point on an instance with --seed and returns
// its matching by ids and its blockingPairs. Anything but a clean, complete result is an
// error.
func refMatchsolve(data []byte, seed uint64) (refOutcome, int, error) {
	code, stdout, stderr := runString([]string{"--seed", strconv.FormatUint(seed, 10)}, string(data))
	if code != 0 || stderr != "" {
		return nil, 0, fmt.Errorf("exit %d, stderr %q", code, stderr)
	}
	var res struct {
		Matches []struct {
			Applicant string `json:"applicant"`
			Program   string `json:"program"`
		} `json:"matches"`
		Unmatched     []string `json:"unmatched"`
		BlockingPairs *int     `json:"blockingPairs"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		return nil, 0, fmt.Errorf("stdout is not the result format: %v: %q", err, stdout)
	}
	if res.BlockingPairs == nil {
		return nil, 0, fmt.Errorf("stdout has no blockingPairs: %q", stdout)
	}
	in, err := refParse(data)
	if err != nil {
		return nil, 0, err
	}
	out := refOutcome{}
	for _, mt := range res.Matches {
		if _, dup := out[mt.Applicant]; dup {
			return nil, 0, fmt.Errorf("applicant %q matched twice", mt.Applicant)
		}
		out[mt.Applicant] = mt.Program
	}
	// Every applicant is either matched or unmatched, once.
	seen := map[string]bool{}
	for _, a := range res.Unmatched {
		if _, matched := out[a]; matched || seen[a] {
			return nil, 0, fmt.Errorf("applicant %q listed as unmatched twice or also matched", a)
		}
		seen[a] = true
	}
	if len(out)+len(seen) != len(in.Applicants) {
		return nil, 0, fmt.Errorf("%d matched and %d unmatched, want %d applicants in all", len(out), len(seen), len(in.Applicants))
	}
	return out, *res.BlockingPairs, nil
}

// refDiff describes where two outcomes differ, applicant by applicant.
func refDiff(want, got refOutcome) string {
	ids := slices.Sorted(maps.Keys(want))
	for a := range got {
		if _, ok := want[a]; !ok {
			ids = append(ids, a)
		}
	}
	s := ""
	for _, a := range ids {
		if want[a] != got[a] {
			s += fmt.Sprintf(" %s: reference %q, matchsolve %q;", a, want[a], got[a])
		}
	}
	return s
}

// refPolicyProbe is an instance whose outcome depends on reserves: p has two seats, one
// reserved for women, and ranks w1 > m > w2. With reserveOrder first the reserved slot
// takes w1 and the open one m; a solver that ignores reserves gives the same, so the probe
// uses "last": the open slot takes w1 and the reserved one w2, leaving m out.
const refPolicyProbe = `{"applicants": [{"id": "w1", "prefs": ["p"], "categories": ["women"]},
	{"id": "m", "prefs": ["p"]}, {"id": "w2", "prefs": ["p"], "categories": ["women"]}],
 "programs": [{"id": "p", "capacity": 2, "prefs": ["w1", "m", "w2"], "reserves": [{"category": "women", "seats": 1}], "reserveOrder": "last"}]}`

var refPolicies struct {
	once      sync.Once
	supported bool
	why       string
}

// policiesSupported reports whether matchsolve applies DESIGN.md §5's allocation
// policies: it must honour a reserve and reject an unknown region.
func policiesSupported() (bool, string) {
	refPolicies.once.Do(func() {
		got, _, err := refMatchsolve([]byte(refPolicyProbe), 0)
		want := refOutcome{"w1": "p", "w2": "p"}
		switch {
		case err != nil:
			refPolicies.why = fmt.Sprintf("a reserve instance failed: %v", err)
		case !maps.Equal(got, want):
			refPolicies.why = fmt.Sprintf("a reserve instance gave %v, want %v", got, want)
		default:
			code, _, _ := runString(nil, `{"programs": [{"id": "p", "capacity": 1, "region": "nowhere"}]}`)
			if code != exitBadInput {
				refPolicies.why = fmt.Sprintf("an unknown region exits %d, want %d", code, exitBadInput)
			} else {
				refPolicies.supported = true
			}
		}
	})
	return refPolicies.supported, refPolicies.why
}

// refRequirePolicies fails the test, on purpose and loudly, while matchsolve does not yet
// implement allocation policies (issue 17): those comparisons must not pass by skipping.
func refRequirePolicies(t *testing.T) {
	t.Helper()
	if ok, why := policiesSupported(); !ok {
		t.Fatalf("matchsolve does not apply the allocation policies of DESIGN.md §5 yet (issue 17): %s", why)
	}
}

func TestReferenceRandomPlain(t *testing.T) {
	refCompareRandom(t, false)
}

func TestReferenceRandomPolicies(t *testing.T) {
	refRequirePolicies(t)
	refCompareRandom(t, true)
}

// refCompareRandom solves random instances (half with ties) with the reference and with
// matchsolve and requires the same matching and no blocking pairs.
func refCompareRandom(t *testing.T, policies bool) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	deadline, hasDeadline := t.Deadline()
	salt := uint64(17)
	if policies {
		salt = 1017
	}
	failures := 0
	for i := range n {
		if hasDeadline && time.Until(deadline) < 20*time.Second {
			t.Logf("stopping after %d of %d instances: the test deadline is near", i, n)
			break
		}
		r := rand.New(rand.NewPCG(uint64(i), salt))
		opt := refGenOptions{policies: policies, ties: i%2 == 1}
		data := refJSON(refGenerate(r, opt))
		var seed uint64
		if opt.ties {
			seed = r.Uint64()
		}
		want, err := refSolveJSON(data, seed, uint64(i))
		if err != nil {
			t.Fatalf("instance %d: reference: %v\n%s", i, err, data)
		}
		got, bp, err := refMatchsolve(data, seed)
		switch {
		case err != nil:
			t.Errorf("instance %d (--seed %d): matchsolve: %v\n%s", i, seed, err, data)
		case !maps.Equal(want, got):
			t.Errorf("instance %d (--seed %d): matchings differ:%s\n%s", i, seed, refDiff(want, got), data)
		case bp != 0:
			t.Errorf("instance %d (--seed %d): matchsolve reports %d blocking pairs, want 0\n%s", i, seed, bp, data)
		default:
			continue
		}
		if failures++; failures == 5 {
			t.Fatalf("stopping after 5 differing instances")
		}
	}
}

// TestReferenceSubstitutable checks the reference's own choosers on random sets: whoever a
// chooser picks from S ∪ {b}, other than b, it also picks from S, and it never picks
// fewer from the larger set. This is what makes the result independent of proposal order.
func TestReferenceSubstitutable(t *testing.T) {
	n := 400
	if testing.Short() {
		n = 60
	}
	checked := 0
	for i := range n {
		r := rand.New(rand.NewPCG(uint64(i), 99))
		in, err := refParse(refJSON(refGenerate(r, refGenOptions{policies: true, ties: true})))
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		m, err := refPrepare(in, r.Uint64())
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		for u, unit := range m.units {
			// Every applicant proposes to at most one of the unit's programs that ranks them.
			var pool []refPair
			for a := range m.appIDs {
				var options []int
				for _, p := range unit.progs {
					if _, ok := m.rank[p][a]; ok {
						options = append(options, p)
					}
				}
				if len(options) > 0 {
					pool = append(pool, refPair{a, options[r.IntN(len(options))]})
				}
			}
			if len(pool) < 2 {
				continue
			}
			r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
			for k := 1; k < len(pool); k++ {
				set, b := pool[:k], pool[k]
				small := m.choose(u, set)
				large := m.choose(u, append(slices.Clone(set), b))
				checked++
				for _, x := range large {
					if x != b && !slices.Contains(small, x) {
						t.Fatalf("instance %d, %v: %v chosen from S ∪ {%v} but not from S = %v", i, m.unitProgIDs(u), x, b, set)
					}
				}
				if len(large) < len(small) {
					t.Fatalf("instance %d, %v: %d chosen from S ∪ {%v}, fewer than %d from S = %v", i, m.unitProgIDs(u), len(large), b, len(small), set)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no chooser was checked")
	}
}

// TestReferenceCheckFindsBlockingPairs makes sure the reference's stability check is not
// vacuous: taking any matched applicant out of a stable result leaves a blocking pair,
// since their program's chooser picked them from what it held before.
func TestReferenceCheckFindsBlockingPairs(t *testing.T) {
	checked := 0
	for i := range 200 {
		r := rand.New(rand.NewPCG(uint64(i), 7))
		in, err := refParse(refJSON(refGenerate(r, refGenOptions{policies: i%2 == 0, ties: true})))
		if err != nil {
			t.Fatal(err)
		}
		m, err := refPrepare(in, r.Uint64())
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		match := m.solve(r)
		for a, p := range match {
			if p < 0 {
				continue
			}
			match[a] = -1
			if bp, err := m.blockingPairs(match); err != nil || bp == 0 {
				t.Fatalf("instance %d: without %s's match the check finds %d blocking pairs (err %v), want at least 1", i, m.appIDs[a], bp, err)
			}
			match[a] = p
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no matched applicant to take out")
	}
}
