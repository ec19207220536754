package recommend

import (
	"slices"
	"testing"
)

// TestCandidatesPage pages through a program's whole column with a filter
// and compares it with brute force; the K-limited CandidatesFor must be a
// prefix of the unfiltered pages.
func TestCandidatesPage(t *testing.T) {
	g := newSynth(11)
	c := newClock()
	r := New(Config{K: 3, Keep: 5, Workers: 2, Now: c.now})
	must(t, r.Build(g.applicants(200), g.programs(20)))
	_, forProgs := truth(r.st)
	even := func(id string) bool { return id[len(id)-1]%2 == 0 }

	checked := 0
	for pid := range r.st.p.slots {
		if !r.st.progs[r.st.p.slots[pid]].Open(c.now()) {
			continue
		}
		var want []string
		for _, x := range forProgs[pid] {
			if even(x.id) {
				want = append(want, x.id)
			}
		}
		var got []string
		for offset := 0; ; offset += 7 {
			page, total, ok := r.CandidatesPage(pid, even, offset, 7)
			if !ok {
				t.Fatalf("CandidatesPage(%s) = not ok, want the program known", pid)
			}
			if total != len(want) {
				t.Fatalf("CandidatesPage(%s) total = %d, want %d", pid, total, len(want))
			}
			for _, rec := range page {
				if len(rec.Reasons) == 0 {
					t.Fatalf("CandidatesPage(%s): %s has no reasons", pid, rec.ID)
				}
				got = append(got, rec.ID)
			}
			if len(page) < 7 {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("CandidatesPage(%s) pages = %v, want %v", pid, got, want)
		}
		top, _ := r.CandidatesFor(pid)
		all, _, _ := r.CandidatesPage(pid, nil, 0, len(top))
		for i := range top {
			if top[i].ID != all[i].ID || top[i].Score != all[i].Score {
				t.Fatalf("CandidatesFor(%s)[%d] = %v, CandidatesPage = %v; want the same", pid, i, top[i].ID, all[i].ID)
			}
		}
		if len(want) > 0 {
			checked++
		}
	}
	if checked == 0 {
		t.Fatal("no open program with candidates; the test checked nothing")
	}
	if _, _, ok := r.CandidatesPage("no-such-program", nil, 0, 10); ok {
		t.Error("CandidatesPage(unknown) ok = true, want false")
	}
}
