package recommend

import (
	"fmt"
	"testing"

	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// ids for list tests: slot i has id "c<i>", so ties break by slot.
var testIDs = func() []string {
	ids := make([]string, 20)
	for i := range ids {
		ids[i] = fmt.Sprintf("c%02d", i)
	}
	return ids
}()

func listOf(l *lists, slot int32) string {
	s := ""
	for _, e := range l.at(slot) {
		s += fmt.Sprintf("%d:%d ", e.slot, e.pts)
	}
	return fmt.Sprintf("[%s] complete=%v", s, l.complete[slot])
}

func TestListsOfferRemove(t *testing.T) {
	type op struct {
		remove bool
		slot   int32
		pts    scoring.Points
	}
	tests := []struct {
		name     string
		start    []entry
		complete bool
		ops      []op
		want     string
	}{
		{"complete list takes anything", nil, true,
			[]op{{false, 1, 5}, {false, 2, 9}, {false, 3, 7}},
			"[2:9 3:7 1:5 ] complete=true"},
		{"ties break by id", nil, true,
			[]op{{false, 4, 5}, {false, 2, 5}, {false, 3, 5}},
			"[2:5 3:5 4:5 ] complete=true"},
		{"full complete list drops its last and becomes incomplete",
			[]entry{{9, 1}, {7, 2}, {5, 3}}, true, []op{{false, 4, 6}},
			"[1:9 2:7 4:6 ] complete=false"},
		{"full complete list refuses a worse entry and becomes incomplete",
			[]entry{{9, 1}, {7, 2}, {5, 3}}, true, []op{{false, 4, 1}},
			"[1:9 2:7 3:5 ] complete=false"},
		{"incomplete list refuses an entry below its last (others may rank between)",
			[]entry{{9, 1}, {7, 2}}, false, []op{{false, 4, 6}},
			"[1:9 2:7 ] complete=false"},
		{"incomplete list takes an entry above its last",
			[]entry{{9, 1}, {7, 2}}, false, []op{{false, 4, 8}},
			"[1:9 4:8 2:7 ] complete=false"},
		{"remove keeps order", []entry{{9, 1}, {7, 2}, {5, 3}}, false, []op{{true, 2, 0}},
			"[1:9 3:5 ] complete=false"},
		{"re-scored candidate moves", []entry{{9, 1}, {7, 2}, {5, 3}}, true, []op{{true, 1, 0}, {false, 1, 6}},
			"[2:7 1:6 3:5 ] complete=true"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := newLists(1, 3)
			l.set(0, tc.start, tc.complete)
			for _, o := range tc.ops {
				if o.remove {
					l.remove(0, o.slot)
				} else {
					l.offer(0, entry{o.pts, o.slot}, testIDs)
				}
			}
			if got := listOf(&l, 0); got != tc.want {
				t.Errorf("list after %v = %s, want %s", tc.ops, got, tc.want)
			}
		})
	}
}

func TestTopK(t *testing.T) {
	tests := []struct {
		pts      []scoring.Points
		keep     int
		want     string
		complete bool
	}{
		{[]scoring.Points{3, 9, 1, 7, 5}, 3, "1:9 3:7 4:5 ", false},
		{[]scoring.Points{3, 9}, 3, "1:9 0:3 ", true},
		{[]scoring.Points{5, 5, 5, 5}, 2, "0:5 1:5 ", false},
		{nil, 2, "", true},
	}
	for _, tc := range tests {
		var h topK
		h.reset(tc.keep)
		for i, p := range tc.pts {
			h.push(entry{p, int32(i)}, testIDs)
		}
		es, complete := h.sorted(testIDs)
		got := ""
		for _, e := range es {
			got += fmt.Sprintf("%d:%d ", e.slot, e.pts)
		}
		if got != tc.want || complete != tc.complete {
			t.Errorf("topK(%v, keep %d) = %q, %v; want %q, %v", tc.pts, tc.keep, got, complete, tc.want, tc.complete)
		}
	}
}
