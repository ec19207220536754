package domain

import (
	"sync"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// A million profiles repeat a few thousand short values: kinds, countries,
// degree levels, language codes and levels, dates, fields, skills,
// preferred regions. Decoded from BSON or JSON, each profile has its own
// copy of each; a replica holding every profile in memory (app.Directory)
// shares one copy instead. The standard library's unique package forgets a
// value once no unique.Handle refers to it, so plain strings taken from it
// would still be copied again after each collection; hence this table,
// which keeps what it has seen.
var interned = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// Interning bounds: long strings are rarely repeated, and the table stops
// growing at maxInterned values (skills are free text), keeping those it
// has.
const (
	maxInternedLen = 64
	maxInterned    = 1 << 18
)

func intern(s string) string {
	if s == "" || len(s) > maxInternedLen {
		return s
	}
	interned.Lock()
	defer interned.Unlock()
	if v, ok := interned.m[s]; ok {
		return v
	}
	if len(interned.m) < maxInterned {
		interned.m[s] = s
	}
	return s
}

func internAll(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = intern(x)
	}
	return out
}

// Interned returns p with its repeated short values shared with every other
// interned profile's: equal to p in every field, and cheaper to hold. The
// slices are new; p's are not changed.
func (p Profile) Interned() Profile {
	d := &p.ProfileData
	d.Kind, d.HomeCountry, d.Region = intern(d.Kind), intern(d.HomeCountry), intern(d.Region)
	d.Institution, d.DegreeLevel, d.Gender = intern(d.Institution), intern(d.DegreeLevel), intern(d.Gender)
	d.AvailableFrom, d.AvailableTo = intern(d.AvailableFrom), intern(d.AvailableTo)
	d.Fields, d.Skills = internAll(d.Fields), internAll(d.Skills)
	d.ProgramKinds, d.HostRegions = internAll(d.ProgramKinds), internAll(d.HostRegions)
	if d.Languages != nil {
		langs := make([]taxonomy.Language, len(d.Languages))
		for i, l := range d.Languages {
			langs[i] = taxonomy.Language{Code: intern(l.Code), Level: intern(l.Level)}
		}
		d.Languages = langs
	}
	return p
}
