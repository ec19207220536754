// Package placementrules holds the rules that follow an accepted offer as
// versioned data with their public sources: the checklist of what the
// participant, the host and coordinators must do, and when (checklist.json).
// The placements service turns them into a placement's tasks; the data
// says nothing about who may see what.
package placementrules

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// Directions and parties, as the placement and task shapes name them
// (DESIGN.md §4).
const (
	DirectionINJP = "IN_JP"
	DirectionJPIN = "JP_IN"

	PartyApplicant   = "applicant"
	PartyHost        = "host"
	PartyCoordinator = "coordinator"

	// AnchorStart counts from the program's start date; AnchorArrival from
	// the participant's arrival, which is taken to be the start date.
	AnchorStart   = "start"
	AnchorArrival = "arrival"
)

// Languages every title is written in.
var Languages = []string{"en", "ja", "hi"}

// DateLayout is how dates are written in the rules and on the wire.
const DateLayout = "2006-01-02"

// maxOffsetDays bounds how far from its anchor a task may fall due.
const maxOffsetDays = 366

// Source is a public source a rule rests on.
type Source struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Checked string `json:"checked"`
}

// TaskRule is one task of the checklist.
type TaskRule struct {
	ID        string `json:"id"`
	Direction string `json:"direction"`
	// Kinds limits the rule to these program kinds; empty means all.
	Kinds []string `json:"kinds,omitempty"`
	// MinStayDays limits the rule to placements at least this many days
	// long (start to end, both counted); 0 means any length.
	MinStayDays int               `json:"minStayDays,omitempty"`
	Party       string            `json:"party"`
	Anchor      string            `json:"anchor"`
	OffsetDays  int               `json:"offsetDays"`
	Source      string            `json:"source"`
	Title       map[string]string `json:"title"`
}

// Checklist is the whole rule set.
type Checklist struct {
	Version string            `json:"version"`
	Note    string            `json:"note"`
	Sources map[string]Source `json:"sources"`
	Tasks   []TaskRule        `json:"tasks"`
}

//go:embed checklist.json
var checklistJSON []byte

var loaded = sync.OnceValues(func() (*Checklist, error) { return ParseChecklist(checklistJSON) })

// DefaultChecklist returns the embedded checklist, parsed and checked once.
func DefaultChecklist() (*Checklist, error) { return loaded() }

// ParseChecklist decodes and validates a checklist; unknown fields are an
// error, so a misspelt key cannot silently drop a rule.
func ParseChecklist(raw []byte) (*Checklist, error) {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	var c Checklist
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("checklist: %w", err)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate reports every broken rule of the data at once.
func (c *Checklist) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("checklist: "+format, a...)) }
	if _, err := time.Parse(DateLayout, c.Version); err != nil {
		bad("version %q must be a date YYYY-MM-DD", c.Version)
	}
	for key, s := range c.Sources {
		u, err := url.Parse(s.URL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			bad("source %s: url %q must be an https address", key, s.URL)
		}
		if strings.TrimSpace(s.Name) == "" {
			bad("source %s: name is required", key)
		}
		if _, err := time.Parse(DateLayout, s.Checked); err != nil {
			bad("source %s: checked %q must be a date YYYY-MM-DD", key, s.Checked)
		}
	}
	seen := map[string]bool{}
	for i, t := range c.Tasks {
		at := fmt.Sprintf("task %d (%s)", i, t.ID)
		switch {
		case t.ID == "":
			bad("%s: id is required", at)
		case seen[t.ID]:
			bad("%s: id is used twice", at)
		}
		seen[t.ID] = true
		if t.Direction != DirectionINJP && t.Direction != DirectionJPIN {
			bad("%s: direction %q must be IN_JP or JP_IN", at, t.Direction)
		}
		for _, k := range t.Kinds {
			if !taxonomy.ProgramKinds.Valid(k) {
				bad("%s: kind %q is not a program kind (%s)", at, k, taxonomy.ProgramKinds)
			}
		}
		if t.Party != PartyApplicant && t.Party != PartyHost && t.Party != PartyCoordinator {
			bad("%s: party %q must be applicant, host or coordinator", at, t.Party)
		}
		if t.Anchor != AnchorStart && t.Anchor != AnchorArrival {
			bad("%s: anchor %q must be start or arrival", at, t.Anchor)
		}
		if t.OffsetDays < -maxOffsetDays || t.OffsetDays > maxOffsetDays {
			bad("%s: offsetDays %d is more than a year from its anchor", at, t.OffsetDays)
		}
		if t.MinStayDays < 0 {
			bad("%s: minStayDays may not be negative", at)
		}
		if _, ok := c.Sources[t.Source]; !ok {
			bad("%s: source %q is not listed under sources", at, t.Source)
		}
		for _, l := range Languages {
			if strings.TrimSpace(t.Title[l]) == "" {
				bad("%s: title in %q is required", at, l)
			}
		}
	}
	if len(c.Tasks) == 0 {
		bad("no tasks")
	}
	return errors.Join(errs...)
}

// PlannedTask is a task of one placement with its due date.
type PlannedTask struct {
	ID     string
	Party  string
	Titles map[string]string
	Due    time.Time
	Source Source
}

// Plan returns the tasks of a placement in direction for a program of kind
// running from start to end (dates, UTC midnight), in the order of the
// rules, each due its offset from its anchor. A task never falls due after
// the program's end. start after end is an error.
func (c *Checklist) Plan(direction, kind string, start, end time.Time) ([]PlannedTask, error) {
	if end.Before(start) {
		return nil, fmt.Errorf("the program ends (%s) before it starts (%s)", end.Format(DateLayout), start.Format(DateLayout))
	}
	stay := int(end.Sub(start).Hours()/24) + 1
	var out []PlannedTask
	for _, r := range c.Tasks {
		if r.Direction != direction || !r.appliesTo(kind) || (r.MinStayDays > 0 && stay < r.MinStayDays) {
			continue
		}
		due := start.AddDate(0, 0, r.OffsetDays) // arrival is the start date
		if due.After(end) {
			due = end
		}
		out = append(out, PlannedTask{ID: r.ID, Party: r.Party, Titles: r.Title, Due: due, Source: c.Sources[r.Source]})
	}
	return out, nil
}

func (r TaskRule) appliesTo(kind string) bool {
	if len(r.Kinds) == 0 {
		return true
	}
	for _, k := range r.Kinds {
		if k == kind {
			return true
		}
	}
	return false
}
