package rankimport

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseRanking(t *testing.T) {
	refs, problems, err := ParseRanking(strings.NewReader("\uFEFFa-1\n Meera@Example.org \n\na-3\n"))
	if err != nil || len(problems) != 0 {
		t.Fatalf("ParseRanking = %v, %v", problems, err)
	}
	want := []Ref{{Line: 1, ID: "a-1"}, {Line: 2, Email: "meera@example.org"}, {Line: 4, ID: "a-3"}}
	if len(refs) != len(want) {
		t.Fatalf("refs = %+v, want %+v", refs, want)
	}
	for i := range want {
		if refs[i] != want[i] {
			t.Errorf("refs[%d] = %+v, want %+v", i, refs[i], want[i])
		}
	}

	_, problems, err = ParseRanking(strings.NewReader("a-1\na-2,a-3\nnot@mail\n\"a b\"\n"))
	if err != nil || len(problems) != 3 || problems[0].Line != 2 || problems[1].Line != 3 || problems[2].Line != 4 {
		t.Errorf("bad lines = %+v, %v; want problems on lines 2, 3 and 4", problems, err)
	}
	for _, p := range problems {
		if p.Reason == "" {
			t.Errorf("problem %+v has no reason", p)
		}
	}
	if _, problems, _ := ParseRanking(strings.NewReader("")); len(problems) != 1 {
		t.Errorf("empty file problems = %+v, want one", problems)
	}
}

func FuzzParseRanking(f *testing.F) {
	f.Add([]byte("a-1\nmeera@example.org\n"))
	f.Add([]byte("a,b\n\"unterminated\n"))
	f.Add([]byte("\uFEFF\n\n@\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		refs, problems, err := ParseRanking(strings.NewReader(string(data)))
		if err != nil {
			t.Fatalf("ParseRanking on bytes = %v", err)
		}
		if (len(refs) == 0) == (len(problems) == 0) {
			t.Fatalf("refs %d and problems %d: want exactly one of them", len(refs), len(problems))
		}
		last := 0
		for _, r := range refs {
			if (r.ID == "") == (r.Email == "") || r.Line <= last {
				t.Fatalf("ref %+v after line %d: want id or e-mail, lines increasing", r, last)
			}
			last = r.Line
		}
	})
}

func TestParseRanks(t *testing.T) {
	rows, problems, err := ParseRanks(strings.NewReader("a-1,p-1,p-2\nmeera@example.org, p-2 \n"), 3)
	if err != nil || len(problems) != 0 || len(rows) != 2 {
		t.Fatalf("ParseRanks = %+v, %+v, %v", rows, problems, err)
	}
	if rows[0].ID != "a-1" || len(rows[0].ProgramIDs) != 2 || rows[1].Email != "meera@example.org" || rows[1].ProgramIDs[0] != "p-2" || rows[1].Line != 2 {
		t.Errorf("rows = %+v", rows)
	}
	_, problems, err = ParseRanks(strings.NewReader("a-1,p-1\na-2\na-3,p-1,p-1\na-4,p1,p2,p3,p4\n,p-1\n"), 3)
	var lines []int
	for _, p := range problems {
		lines = append(lines, p.Line)
	}
	if err != nil || fmt.Sprint(lines) != "[2 3 4 5]" {
		t.Errorf("problems = %+v, %v; want lines 2, 3, 4 and 5", problems, err)
	}
}

func FuzzParseRanks(f *testing.F) {
	f.Add([]byte("a-1,p-1,p-2\nmeera@example.org,p-2\n"))
	f.Add([]byte("a,,b\n\"x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, problems, err := ParseRanks(strings.NewReader(string(data)), 20)
		if err != nil {
			t.Fatalf("ParseRanks on bytes = %v", err)
		}
		if (len(rows) == 0) == (len(problems) == 0) {
			t.Fatalf("rows %d and problems %d: want exactly one of them", len(rows), len(problems))
		}
		for _, r := range rows {
			if len(r.ProgramIDs) == 0 || len(r.ProgramIDs) > 20 || (r.ID == "") == (r.Email == "") {
				t.Fatalf("row %+v breaks the rules", r)
			}
		}
	})
}
