package domain

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Interview modes.
const (
	ModeOnline = "online"
	ModeOnsite = "onsite"
)

// Slot is an interview slot a host offers for a program. A slot holds one
// applicant: ApplicationID is empty while it is free.
type Slot struct {
	ID            string
	ProgramID     string
	HostID        string
	Start         time.Time
	End           time.Time
	Mode          string
	Location      string
	ApplicationID string
	ApplicantID   string
	BookedAt      time.Time
	CreatedAt     time.Time
}

// Free reports whether nobody holds the slot.
func (s *Slot) Free() bool { return s.ApplicationID == "" }

// Booking is what an application records of the slot.
func (s *Slot) Booking() Booking {
	return Booking{SlotID: s.ID, Start: s.Start, End: s.End, Mode: s.Mode, Location: s.Location}
}

// SlotInput is one slot a host asks for.
type SlotInput struct {
	Start, End     time.Time
	Mode, Location string
}

// Longest interview a slot may describe.
const maxSlotLength = 8 * time.Hour

// NewSlots checks the slots a host adds to a program that already has
// existing ones: each ends after it starts, starts in the future, lasts at
// most 8 hours, has a known mode, and none overlaps another new or
// existing slot. The count per request and per program is bounded.
func NewSlots(in []SlotInput, existing []Slot, programID, hostID string, now time.Time, newID func() string) ([]Slot, error) {
	var errs fieldErrors
	switch {
	case len(in) == 0:
		errs.add(fielderr.NewTooFew("slots", 1).Because("is required: give at least one slot"))
	case len(in) > MaxSlotsPerRequest:
		errs.add(fielderr.NewTooMany("slots", MaxSlotsPerRequest).Because("has %d entries; at most %d are allowed at once", len(in), MaxSlotsPerRequest))
	case len(in)+len(existing) > MaxSlotsPerProgram:
		errs.add(fielderr.NewTooMany("slots", MaxSlotsPerProgram).Because("would make %d slots; a program may have at most %d", len(in)+len(existing), MaxSlotsPerProgram))
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	out := make([]Slot, 0, len(in))
	for i, s := range in {
		f := func(name string) string { return fmt.Sprintf("slots[%d].%s", i, name) }
		s.Location = strings.TrimSpace(s.Location)
		switch {
		case s.Start.IsZero():
			errs.add(fielderr.NewRequired(f("start")).Because("is required (RFC 3339)"))
		case !s.Start.After(now):
			errs.add(fielderr.NewDateFuture(f("start")))
		}
		switch {
		case s.End.IsZero():
			errs.add(fielderr.NewRequired(f("end")).Because("is required (RFC 3339)"))
		case !s.End.After(s.Start):
			errs.add(fielderr.NewDateOrder(f("end"), f("start")).Because("must be after start"))
		case s.End.Sub(s.Start) > maxSlotLength:
			errs.add(fielderr.NewDuration(f("end"), f("start"), int(maxSlotLength/time.Hour)).Because("must be at most %s after start", maxSlotLength))
		}
		if s.Mode != ModeOnline && s.Mode != ModeOnsite {
			errs.add(fielderr.NewOneOf(f("mode"), []string{ModeOnline, ModeOnsite}).Because("must be one of online, onsite"))
		}
		if s.Mode == ModeOnsite && s.Location == "" {
			errs.add(fielderr.NewRequired(f("location")).Because("is required for an onsite interview"))
		}
		if utf8.RuneCountInString(s.Location) > MaxLocationLen || !utf8.ValidString(s.Location) {
			errs.add(fielderr.NewTooLong(f("location"), MaxLocationLen).Because("is longer than %d characters", MaxLocationLen))
		}
		out = append(out, Slot{ID: newID(), ProgramID: programID, HostID: hostID, Start: s.Start.UTC(), End: s.End.UTC(),
			Mode: s.Mode, Location: s.Location, CreatedAt: now})
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	// Overlaps: sort every slot by start; one overlaps when it starts
	// before the latest end seen so far.
	type span struct {
		i          int // index in the request, or -1 for an existing slot
		start, end time.Time
	}
	spans := make([]span, 0, len(out)+len(existing))
	for i, s := range out {
		spans = append(spans, span{i, s.Start, s.End})
	}
	for _, s := range existing {
		spans = append(spans, span{-1, s.Start, s.End})
	}
	sort.SliceStable(spans, func(a, b int) bool { return spans[a].start.Before(spans[b].start) })
	var bad []int
	for k := 1; k < len(spans); k++ {
		cur, last := spans[k], spans[0]
		for _, p := range spans[:k] {
			if p.end.After(last.end) {
				last = p
			}
		}
		if cur.start.Before(last.end) {
			if cur.i >= 0 {
				bad = append(bad, cur.i)
			} else {
				bad = append(bad, last.i)
			}
		}
	}
	slices.Sort(bad)
	for _, i := range slices.Compact(bad) {
		errs.add(fielderr.NewOverlap(fmt.Sprintf("slots[%d]", i)).Because("overlaps another slot of the program"))
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// FitSlots checks new slots, already valid on their own (NewSlots with no
// existing slots), against the program's stored ones: the number of slots
// a program may hold, and no overlap. An overlap is a conflict with what
// is stored (409 slot_overlap), not a mistake in the request.
func FitSlots(slots, existing []Slot) error {
	if len(slots)+len(existing) > MaxSlotsPerProgram {
		var errs fieldErrors
		errs.add(fielderr.NewTooMany("slots", MaxSlotsPerProgram).Because("would make %d slots; a program may have at most %d", len(slots)+len(existing), MaxSlotsPerProgram))
		return errs.err()
	}
	for i, s := range slots {
		for _, o := range existing {
			if s.Start.Before(o.End) && o.Start.Before(s.End) {
				return Conflict("slot_overlap", "slots[%d] (%s to %s) overlaps the program's slot from %s to %s",
					i, s.Start.Format(time.RFC3339), s.End.Format(time.RFC3339), o.Start.Format(time.RFC3339), o.End.Format(time.RFC3339))
			}
		}
	}
	return nil
}
