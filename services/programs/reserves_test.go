package programs_test

import (
	"slices"
	"testing"

	"github.com/talentbridge/platform/shared/events"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/platformtest"
)

// TestReserves stores a program's category reserves and reserve order,
// shows them back, carries them in the program's events, and refuses
// reserves that break a rule with one field error each.
func TestReserves(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)

	reserves := []map[string]any{{"category": "first_generation", "seats": 2}, {"category": "women", "seats": 1}}
	p := e.published(t, host, e.body("Reserved", func(m map[string]any) {
		m["seats"] = 4
		m["reserves"] = reserves
		m["reserveOrder"] = "first"
	}))
	want := []programsev.Reserve{{Category: "first_generation", Seats: 2}, {Category: "women", Seats: 1}}
	if !slices.Equal(p.Reserves, want) || p.ReserveOrder != "first" {
		t.Errorf("published program reserves %v order %q, want %v first", p.Reserves, p.ReserveOrder, want)
	}
	evs := waitEvents(t, e.Deps.Bus, events.ProgramPublished, p.ID, 1)
	var ev programsev.ProgramPublished
	platformtest.DecodeJSON(t, evs[0].Data, &ev)
	if !slices.Equal(ev.Reserves, want) || ev.ReserveOrder != "first" {
		t.Errorf("program.published reserves %v order %q, want %v first", ev.Reserves, ev.ReserveOrder, want)
	}

	plain := e.create(t, host, e.body("Plain"))
	if len(plain.Reserves) != 0 || plain.ReserveOrder != "last" {
		t.Errorf("program without reserves = %v order %q, want none and the default order last", plain.Reserves, plain.ReserveOrder)
	}

	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		field  string
	}{
		{"unknown category", func(m map[string]any) { m["reserves"] = []map[string]any{{"category": "caste", "seats": 1}} }, "reserves[0].category"},
		{"no seats", func(m map[string]any) { m["reserves"] = []map[string]any{{"category": "rural", "seats": 0}} }, "reserves[0].seats"},
		{"category twice", func(m map[string]any) {
			m["reserves"] = []map[string]any{{"category": "rural", "seats": 1}, {"category": "rural", "seats": 1}}
		}, "reserves[1].category"},
		{"more than the seats", func(m map[string]any) {
			m["seats"] = 2
			m["reserves"] = []map[string]any{{"category": "rural", "seats": 2}, {"category": "women", "seats": 1}}
		}, "reserves"},
		{"order unknown", func(m map[string]any) { m["reserveOrder"] = "middle" }, "reserveOrder"},
	} {
		r := e.Do(t, "POST", "/api/v1/programs", host, e.body("Bad "+tc.name, tc.change))
		if r.Status != 400 {
			t.Errorf("%s: POST = %d %s, want 400", tc.name, r.Status, r.Body)
			continue
		}
		if errs := r.Problem(t).Errors; len(errs) != 1 || errs[0].Field != tc.field || errs[0].Reason == "" {
			t.Errorf("%s: errors %+v, want one naming %s", tc.name, errs, tc.field)
		}
	}
}
