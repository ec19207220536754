package placementrules

// The visa pathway (visa.json) and the Highly Skilled Professional points
// table (hsp.json) are embedded beside the checklist and checked when first
// read; the placements service decides with them.

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// VisaType is one visa or status of residence.
type VisaType struct {
	Title   taxonomy.Labels `json:"title"`
	Country string          `json:"country"`
	Sources []string        `json:"sources"`
}

// VisaRule names the likely visa for placements of a direction and program
// kind (all kinds when Kinds is empty), optionally only when paid or unpaid
// and when the stay is at most MaxDays long.
type VisaRule struct {
	Direction    string   `json:"direction"`
	Kinds        []string `json:"kinds,omitempty"`
	Paid         *bool    `json:"paid,omitempty"`
	MaxDays      int      `json:"maxDays,omitempty"`
	Type         string   `json:"type"`
	Alternatives []string `json:"alternatives,omitempty"`
	Needs        []string `json:"needs"`
	Reasons      []string `json:"reasons"`
	// HSPOption is the Highly Skilled Professional type offered as an
	// alternative when the points estimate reaches the threshold.
	HSPOption string `json:"hspOption,omitempty"`
}

// VisaAddition adds needs and reasons to every placement of a direction
// that lasts at least MinDays (residence card, FRRO registration).
type VisaAddition struct {
	Direction string   `json:"direction"`
	MinDays   int      `json:"minDays"`
	Needs     []string `json:"needs"`
	Reasons   []string `json:"reasons"`
	Sources   []string `json:"sources,omitempty"`
}

// VisaRules is visa.json.
type VisaRules struct {
	Version   string                     `json:"version"`
	Note      string                     `json:"note"`
	Sources   map[string]Source          `json:"sources"`
	Types     map[string]VisaType        `json:"types"`
	Needs     map[string]taxonomy.Labels `json:"needs"`
	Reasons   map[string]taxonomy.Labels `json:"reasons"`
	Rules     []VisaRule                 `json:"rules"`
	Additions []VisaAddition             `json:"additions"`
}

//go:embed visa.json
var visaJSON []byte

var visaOnce = sync.OnceValues(func() (*VisaRules, error) { return ParseVisa(visaJSON) })

// Visa returns the embedded visa rules. They are checked by the package's
// tests, so an error here means a broken build.
func Visa() *VisaRules {
	r, err := visaOnce()
	if err != nil {
		panic(err)
	}
	return r
}

// ParseVisa decodes and validates a visa rule file.
func ParseVisa(data []byte) (*VisaRules, error) {
	var r VisaRules
	if err := strictDecode(data, &r); err != nil {
		return nil, fmt.Errorf("visa rules: %w", err)
	}
	if err := r.validate(); err != nil {
		return nil, fmt.Errorf("visa rules %s: %w", r.Version, err)
	}
	return &r, nil
}

func (r *VisaRules) validate() error {
	if r.Version == "" {
		return fmt.Errorf("version: required")
	}
	for id, s := range r.Sources {
		if err := s.validate(); err != nil {
			return fmt.Errorf("source %s: %w", id, err)
		}
	}
	for code, t := range r.Types {
		if err := labelsFull(t.Title); err != nil {
			return fmt.Errorf("type %s title: %w", code, err)
		}
		if !taxonomy.IsCountry(t.Country) {
			return fmt.Errorf("type %s: unknown country %q", code, t.Country)
		}
		if len(t.Sources) == 0 {
			return fmt.Errorf("type %s: no source", code)
		}
		if err := known("type "+code+" source", t.Sources, r.Sources); err != nil {
			return err
		}
	}
	for _, m := range []struct {
		what string
		m    map[string]taxonomy.Labels
	}{{"need", r.Needs}, {"reason", r.Reasons}} {
		for code, l := range m.m {
			if err := labelsFull(l); err != nil {
				return fmt.Errorf("%s %s: %w", m.what, code, err)
			}
		}
	}
	for i, rule := range r.Rules {
		where := fmt.Sprintf("rule %d (%s %v)", i, rule.Direction, rule.Kinds)
		if err := validDirection(rule.Direction); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		for _, k := range rule.Kinds {
			if !taxonomy.ProgramKinds.Valid(k) {
				return fmt.Errorf("%s: unknown program kind %q", where, k)
			}
		}
		if rule.MaxDays < 0 {
			return fmt.Errorf("%s: maxDays %d is negative", where, rule.MaxDays)
		}
		types := append([]string{rule.Type}, rule.Alternatives...)
		if rule.HSPOption != "" {
			types = append(types, rule.HSPOption)
		}
		if err := known(where+" type", types, r.Types); err != nil {
			return err
		}
		if len(rule.Needs) == 0 || len(rule.Reasons) == 0 {
			return fmt.Errorf("%s: needs and reasons are required", where)
		}
		if err := known(where+" need", rule.Needs, r.Needs); err != nil {
			return err
		}
		if err := known(where+" reason", rule.Reasons, r.Reasons); err != nil {
			return err
		}
	}
	for i, a := range r.Additions {
		where := fmt.Sprintf("addition %d", i)
		if err := validDirection(a.Direction); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := known(where+" need", a.Needs, r.Needs); err != nil {
			return err
		}
		if err := known(where+" reason", a.Reasons, r.Reasons); err != nil {
			return err
		}
		if err := known(where+" source", a.Sources, r.Sources); err != nil {
			return err
		}
	}
	// Every direction and program kind must end in a rule without
	// conditions, so a placement always gets an answer.
	for _, d := range []string{DirectionINJP, DirectionJPIN} {
		for _, k := range taxonomy.ProgramKinds.Codes() {
			if !r.covered(d, k) {
				return fmt.Errorf("no unconditional rule for %s %s", d, k)
			}
		}
	}
	return nil
}

// covered reports whether some rule answers every placement of d and k.
// Paid and unpaid rules for the same kinds together count as one.
func (r *VisaRules) covered(d, k string) bool {
	var paid, unpaid bool
	for _, rule := range r.Rules {
		if rule.Direction != d || rule.MaxDays > 0 || (len(rule.Kinds) > 0 && !slices.Contains(rule.Kinds, k)) {
			continue
		}
		switch {
		case rule.Paid == nil:
			return true
		case *rule.Paid:
			paid = true
		default:
			unpaid = true
		}
	}
	return paid && unpaid
}

// validate checks a visa or points-table source.
func (s Source) validate() error {
	if s.Name == "" {
		return fmt.Errorf("name: required")
	}
	u, err := url.Parse(s.URL)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("url %q: want an https address", s.URL)
	}
	if _, err := time.Parse(time.DateOnly, s.Checked); err != nil {
		return fmt.Errorf("checked %q: want YYYY-MM-DD", s.Checked)
	}
	return nil
}

func validDirection(d string) error {
	if d != DirectionINJP && d != DirectionJPIN {
		return fmt.Errorf("direction %q: want IN_JP or JP_IN", d)
	}
	return nil
}

func labelsFull(l taxonomy.Labels) error {
	if l.En == "" || l.Ja == "" || l.Hi == "" {
		return fmt.Errorf("en, ja and hi are all required")
	}
	return nil
}

func known[V any](what string, codes []string, m map[string]V) error {
	for _, c := range codes {
		if _, ok := m[c]; !ok {
			return fmt.Errorf("%s %q: not defined", what, c)
		}
	}
	return nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
