package placementrules

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEmbeddedChecklistIsValid(t *testing.T) {
	c, err := DefaultChecklist()
	if err != nil {
		t.Fatal(err)
	}
	if c.Version == "" || len(c.Tasks) == 0 {
		t.Fatalf("checklist %q has %d tasks", c.Version, len(c.Tasks))
	}
	// The Japanese and Hindi titles are read on pages that may show no
	// English: no Latin words (abbreviations such as FRRO included).
	latin := regexp.MustCompile(`[A-Za-z]{3,}`)
	for _, task := range c.Tasks {
		for _, l := range []string{"ja", "hi"} {
			if w := latin.FindString(task.Title[l]); w != "" {
				t.Errorf("task %s: the %s title has the Latin word %q", task.ID, l, w)
			}
		}
	}
}

// The placement of DESIGN.md §8: in Japan the host applies for the
// Certificate of Eligibility before the participant applies for the visa,
// and the address is registered within 14 days of arrival; in India the
// host's letter comes first and FRRO registration only for long stays.
func TestPlan(t *testing.T) {
	c, err := DefaultChecklist()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, direction, kind, start, end string
		want                              map[string]string // task id → due date
		absent                            []string
	}{
		{name: "fellowship in Japan", direction: DirectionINJP, kind: "fellowship", start: "2027-06-01", end: "2027-11-30",
			want: map[string]string{"jp_coe_apply": "2027-02-21", "jp_visa_apply": "2027-04-17", "jp_address": "2027-06-15",
				"jp_residence_card": "2027-06-01"},
			absent: []string{"jp_internship_plan", "in_frro"}},
		{name: "internship in Japan adds the plan", direction: DirectionINJP, kind: "internship", start: "2027-06-01", end: "2027-08-31",
			want: map[string]string{"jp_internship_plan": "2027-02-01", "jp_coe_apply": "2027-02-21"}},
		{name: "a short stay in India needs no FRRO registration", direction: DirectionJPIN, kind: "exchange", start: "2027-06-01", end: "2027-08-31",
			want: map[string]string{"in_invitation": "2027-03-03", "in_visa_apply": "2027-04-17"}, absent: []string{"in_frro", "in_research_clearance"}},
		{name: "a year of research in India", direction: DirectionJPIN, kind: "joint_research", start: "2027-04-01", end: "2028-03-31",
			want: map[string]string{"in_frro": "2027-04-15", "in_research_clearance": "2026-12-02"}},
		{name: "a task never falls due after the end", direction: DirectionINJP, kind: "exchange", start: "2027-06-01", end: "2027-06-10",
			want: map[string]string{"jp_address": "2027-06-10"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tasks, err := c.Plan(tc.direction, tc.kind, day(tc.start), day(tc.end))
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, task := range tasks {
				got[task.ID] = task.Due.Format(DateLayout)
				if !strings.HasPrefix(task.ID, map[string]string{DirectionINJP: "jp_", DirectionJPIN: "in_"}[tc.direction]) {
					t.Errorf("Plan(%s) gave task %s of the other direction", tc.direction, task.ID)
				}
				if task.Source.URL == "" || task.Titles["hi"] == "" {
					t.Errorf("task %s has no source or Hindi title", task.ID)
				}
			}
			for id, due := range tc.want {
				if got[id] != due {
					t.Errorf("Plan: task %s due %q, want %q", id, got[id], due)
				}
			}
			for _, id := range tc.absent {
				if _, ok := got[id]; ok {
					t.Errorf("Plan: task %s should not apply", id)
				}
			}
		})
	}
	if _, err := c.Plan(DirectionINJP, "exchange", day("2027-06-01"), day("2027-05-01")); err == nil {
		t.Error("Plan with the end before the start: no error")
	}
}

func TestParseChecklistRefusesBadData(t *testing.T) {
	tests := []struct{ name, raw, want string }{
		{"unknown key", `{"version":"2026-12-07","sources":{},"tasks":[],"extra":1}`, "unknown field"},
		{"no tasks", `{"version":"2026-12-07","sources":{},"tasks":[]}`, "no tasks"},
		{"bad task", `{"version":"x","sources":{"s":{"name":"S","url":"http://a","checked":"2026-01-01"}},
			"tasks":[{"id":"a","direction":"IN_US","kinds":["picnic"],"party":"guest","anchor":"end","offsetDays":900,"source":"t","title":{"en":"A"}}]}`,
			"version"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseChecklist([]byte(tc.raw))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseChecklist = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	_, err := ParseChecklist([]byte(tests[2].raw))
	for _, part := range []string{"https", "IN_US", "picnic", "guest", "anchor", "offsetDays", `source "t"`, `"ja"`} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("the error does not name %s:\n%v", part, err)
		}
	}
}
