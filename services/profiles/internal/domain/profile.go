// Package domain holds the profile of DESIGN.md §4 and its rules: what a
// valid profile is, how consents are recorded, when a guardian must consent.
// It is pure Go: no HTTP, database or bus.
package domain

import (
	"errors"
	"reflect"
	"slices"
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// Errors the use cases and adapters return.
var (
	ErrProfileNotFound = errors.New("profile not found")
	ErrAlreadyExists   = errors.New("profile already exists")
	// ErrErasureInProgress means the id still belongs to an erased profile
	// whose last event has not left yet; the id is free again in moments.
	ErrErasureInProgress = errors.New("the previous profile is still being erased")
	// ErrConflict means the profile changed between read and write more
	// often than the store retries.
	ErrConflict = errors.New("profile changed concurrently")
)

// Details are the parts of a profile its owner writes. After Validate they
// are normalized: trimmed, canonical region names, level codes in their
// usual case, nil slices made empty.
type Details struct {
	Kind          string
	Name          string
	HomeCountry   string
	Institution   string
	Region        string
	Fields        []string
	Skills        []string
	Languages     []taxonomy.Language
	DegreeLevel   string
	BirthYear     int
	AvailableFrom string
	AvailableTo   string
	Preferences   Preferences
	Statement     string
	// Gender is self-declared and optional; it is used only in aggregate
	// outcome reports, never in scoring.
	Gender string
	// Categories are self-declared (taxonomy.Categories), kept only under
	// the categories consent, used only by allocation (program reserves)
	// and aggregate reports, and never shown to hosts.
	Categories []string
}

// Preferences are program kinds and host regions the applicant would like.
type Preferences struct {
	ProgramKinds []string
	HostRegions  []string
}

// ConsentChoice is what the applicant agrees to, under the notice version
// they were shown.
type ConsentChoice struct {
	NoticeVersion       string
	DataProcessing      bool
	CrossBorderTransfer bool
	VisibleToHosts      bool
	// Categories permits processing the self-declared categories.
	Categories bool
}

// GuardianChoice names the parent or guardian who consents for a minor.
type GuardianChoice struct {
	Name     string
	Relation string
}

// Draft is a whole profile as a client (or an import row) sends it.
type Draft struct {
	Details
	Consents ConsentChoice
	Guardian *GuardianChoice
}

// Consent is one consent's current value and when it was last set.
type Consent struct {
	Granted       bool
	At            time.Time
	NoticeVersion string
	// By is empty when the applicant set it, or the id of the coordinator
	// who recorded it on the applicant's behalf (imports).
	By string
}

// Consents are the three consents of a profile.
type Consents struct {
	// NoticeVersion is the notice version last agreed to.
	NoticeVersion       string
	DataProcessing      Consent
	CrossBorderTransfer Consent
	VisibleToHosts      Consent
	Categories          Consent
}

// Guardian is a recorded guardian consent.
type Guardian struct {
	Name          string
	Relation      string
	At            time.Time
	NoticeVersion string
}

// Profile is a stored profile. Build one with New, change it with Revise;
// the adapters restore it field by field.
type Profile struct {
	// ID is the owner's account id (or, for an imported profile, an id
	// derived from its e-mail address).
	ID string
	Details
	Consents Consents
	Guardian *Guardian
	// Email is kept only for imported profiles, so the person can later be
	// linked to the account they sign up with.
	Email string
	// ImportBatch and ImportedBy are set on imported profiles.
	ImportBatch string
	ImportedBy  string
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// New validates d and returns the profile with id, version 1. by is empty
// when the applicant creates their own profile, or the id of the
// coordinator who records it for them.
func New(id string, d Draft, now time.Time, by string) (*Profile, error) {
	d, err := Validate(d, now)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Millisecond)
	p := &Profile{ID: id, Details: d.Details, Version: 1, CreatedAt: now, UpdatedAt: now}
	p.Consents = Consents{
		NoticeVersion:       d.Consents.NoticeVersion,
		DataProcessing:      record(d.Consents.DataProcessing, d.Consents.NoticeVersion, now, by),
		CrossBorderTransfer: record(d.Consents.CrossBorderTransfer, d.Consents.NoticeVersion, now, by),
		VisibleToHosts:      record(d.Consents.VisibleToHosts, d.Consents.NoticeVersion, now, by),
		Categories:          record(d.Consents.Categories, d.Consents.NoticeVersion, now, by),
	}
	if d.Guardian != nil {
		p.Guardian = &Guardian{Name: d.Guardian.Name, Relation: d.Guardian.Relation, At: now, NoticeVersion: d.Consents.NoticeVersion}
	}
	return p, nil
}

func record(granted bool, version string, now time.Time, by string) Consent {
	return Consent{Granted: granted, At: now, NoticeVersion: version, By: by}
}

// Revise replaces the owner's data with d. Consents whose value or notice
// version changed are recorded anew with now; unchanged ones keep their
// time. It reports whether anything changed; when nothing did, the version
// stays as it is and no event is due.
func (p *Profile) Revise(d Draft, now time.Time) (changed bool, err error) {
	d, err = Validate(d, now)
	if err != nil {
		return false, err
	}
	now = now.UTC().Truncate(time.Millisecond)
	next := *p
	next.Details = d.Details
	next.Consents.NoticeVersion = d.Consents.NoticeVersion
	next.Consents.DataProcessing = revise(p.Consents.DataProcessing, d.Consents.DataProcessing, d.Consents.NoticeVersion, now)
	next.Consents.CrossBorderTransfer = revise(p.Consents.CrossBorderTransfer, d.Consents.CrossBorderTransfer, d.Consents.NoticeVersion, now)
	next.Consents.VisibleToHosts = revise(p.Consents.VisibleToHosts, d.Consents.VisibleToHosts, d.Consents.NoticeVersion, now)
	next.Consents.Categories = revise(p.Consents.Categories, d.Consents.Categories, d.Consents.NoticeVersion, now)
	next.Guardian = nil
	if g := d.Guardian; g != nil {
		if old := p.Guardian; old != nil && old.Name == g.Name && old.Relation == g.Relation && old.NoticeVersion == d.Consents.NoticeVersion {
			kept := *old
			next.Guardian = &kept
		} else {
			next.Guardian = &Guardian{Name: g.Name, Relation: g.Relation, At: now, NoticeVersion: d.Consents.NoticeVersion}
		}
	}
	if sameContent(p, &next) {
		return false, nil
	}
	next.Version = p.Version + 1
	next.UpdatedAt = now
	*p = next
	return true, nil
}

func revise(old Consent, granted bool, version string, now time.Time) Consent {
	if old.Granted == granted && old.NoticeVersion == version {
		return old
	}
	return Consent{Granted: granted, At: now, NoticeVersion: version}
}

func sameContent(a, b *Profile) bool {
	return reflect.DeepEqual(a.Details, b.Details) && reflect.DeepEqual(a.Consents, b.Consents) &&
		reflect.DeepEqual(a.Guardian, b.Guardian)
}

// MightBeMinor reports whether someone born in birthYear may be under 18 at
// now. Only the year is known, so a person turning 18 this year may still
// be 17: they count as a possible minor, and a guardian must consent
// (protection wins over convenience for the borderline year).
func MightBeMinor(birthYear int, now time.Time) bool {
	return now.Year()-birthYear-1 < AdultAge
}

// Clone returns a deep copy of p.
func (p *Profile) Clone() *Profile {
	c := *p
	c.Fields = slices.Clone(p.Fields)
	c.Skills = slices.Clone(p.Skills)
	c.Languages = slices.Clone(p.Languages)
	c.Preferences.ProgramKinds = slices.Clone(p.Preferences.ProgramKinds)
	c.Preferences.HostRegions = slices.Clone(p.Preferences.HostRegions)
	c.Categories = slices.Clone(p.Categories)
	if p.Guardian != nil {
		g := *p.Guardian
		c.Guardian = &g
	}
	return &c
}
