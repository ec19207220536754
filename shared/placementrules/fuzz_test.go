package placementrules

import (
	"testing"
	"time"
)

// FuzzParseChecklist: any bytes give a checklist that passes Validate, or
// an error; never a panic. A parsed checklist plans without panicking.
func FuzzParseChecklist(f *testing.F) {
	f.Add(checklistJSON)
	f.Add([]byte(`{"version":"2026-12-07","sources":{},"tasks":[]}`))
	f.Add([]byte(`{"version":"2026-12-07","sources":{"s":{"name":"S","url":"https://a.example","checked":"2026-01-01"}},
		"tasks":[{"id":"a","direction":"IN_JP","party":"host","anchor":"start","offsetDays":-366,"source":"s","title":{"en":"A","ja":"あ","hi":"अ"}}]}`))
	start := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := ParseChecklist(raw)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("a parsed checklist does not validate: %v", err)
		}
		for _, d := range []string{DirectionINJP, DirectionJPIN} {
			tasks, err := c.Plan(d, "exchange", start, start.AddDate(0, 3, 0))
			if err != nil {
				t.Fatal(err)
			}
			for _, task := range tasks {
				if task.Due.After(start.AddDate(0, 3, 0)) {
					t.Fatalf("task %s due %v after the end", task.ID, task.Due)
				}
			}
		}
	})
}
