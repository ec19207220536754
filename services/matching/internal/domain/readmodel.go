package domain

import (
	"slices"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Profile is this service's copy of an applicant's profile, built from
// tb.profiles.v1.* events. It keeps what scoring, eligibility, the
// candidates list and the outcome report need; the statement is kept for
// text scoring only and never shown. An erased profile is a tombstone: only
// ID, Version, Erased and ErasedAt are set.
type Profile struct {
	ID      string
	Version int64
	// CreatedAt is when this incarnation of the profile was created: an
	// applicant who erased their profile and made a new one has a new
	// incarnation whose versions start again at 1.
	CreatedAt time.Time
	Erased    bool
	ErasedAt  time.Time
	ProfileData
}

// ProfileData is what the applicant wrote, as this service keeps it: empty
// in a tombstone. The BSON names are those of the read model's documents,
// the JSON names those of the data export's copy of the profile.
type ProfileData struct {
	Kind          string              `json:"kind" bson:"kind,omitempty"`
	Name          string              `json:"name" bson:"name,omitempty"`
	HomeCountry   string              `json:"homeCountry" bson:"homeCountry,omitempty"`
	Institution   string              `json:"institution" bson:"institution,omitempty"`
	Region        string              `json:"region" bson:"region,omitempty"`
	Fields        []string            `json:"fields" bson:"fields,omitempty"`
	Skills        []string            `json:"skills" bson:"skills,omitempty"`
	Languages     []taxonomy.Language `json:"languages" bson:"languages,omitempty"`
	DegreeLevel   string              `json:"degreeLevel" bson:"degreeLevel,omitempty"`
	BirthYear     int                 `json:"birthYear" bson:"birthYear,omitempty"`
	AvailableFrom string              `json:"availableFrom" bson:"availableFrom,omitempty"`
	AvailableTo   string              `json:"availableTo" bson:"availableTo,omitempty"`
	ProgramKinds  []string            `json:"preferredProgramKinds" bson:"programKinds,omitempty"`
	HostRegions   []string            `json:"preferredHostRegions" bson:"hostRegions,omitempty"`
	Statement     string              `json:"statement" bson:"statement,omitempty"`
	Gender        string              `json:"gender" bson:"gender,omitempty"`
	// Categories are self-declared and kept under their own consent: for
	// category reserves in rounds and aggregate reports only, never for
	// scoring, never in a host's view.
	Categories []string `json:"categories,omitempty" bson:"categories,omitempty"`
	// Email is set only for imported profiles, so rank-list imports can
	// name an applicant by e-mail; it is never shown to hosts.
	Email          string `json:"email,omitempty" bson:"email,omitempty"`
	VisibleToHosts bool   `json:"visibleToHosts" bson:"visibleToHosts,omitempty"`
	// FindableByHosts is set when the applicant let eligible hosts find
	// them under a notice that says so (profilesev.Consents.FindableByHosts):
	// only then do they appear on the candidates list of a program they did
	// not apply to. Entries stored before the field existed lack it and so
	// stay hidden until the applicant confirms again.
	FindableByHosts bool `json:"findableByHosts" bson:"findableByHosts,omitempty"`
}

// ProfileFromEvent builds the read model entry of a profile snapshot.
func ProfileFromEvent(p profilesev.Profile, version int64) Profile {
	return Profile{
		ID: p.ID, Version: version, CreatedAt: p.CreatedAt.UTC().Truncate(time.Millisecond),
		ProfileData: ProfileData{Kind: p.Kind, Name: p.Name, HomeCountry: p.HomeCountry, Institution: p.Institution, Region: p.Region,
			Fields: slices.Clone(p.Fields), Skills: slices.Clone(p.Skills), Languages: slices.Clone(p.Languages),
			DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear, AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo,
			ProgramKinds: slices.Clone(p.Preferences.ProgramKinds), HostRegions: slices.Clone(p.Preferences.HostRegions),
			Statement: p.Statement, Gender: p.Gender, VisibleToHosts: p.Consents.VisibleToHosts,
			FindableByHosts: p.Consents.FindableByHosts(),
			Categories:      consentedCategories(p), Email: p.ImportedEmail},
	}
}

// consentedCategories are the profile's categories if its owner consented
// to their processing, and none otherwise: the read model never holds
// categories without consent, whatever the event carries.
func consentedCategories(p profilesev.Profile) []string {
	if !p.Consents.Categories {
		return nil
	}
	return slices.Clone(p.Categories)
}

// ErasedProfile is the tombstone a profile.erased event of the given
// aggregate version, erased at at, leaves.
func ErasedProfile(id string, version int64, at time.Time) Profile {
	return Profile{ID: id, Version: version, Erased: true, ErasedAt: at.UTC().Truncate(time.Millisecond)}
}

// Supersedes reports whether p is a later state of the applicant's profile
// than cur, so that p replaces cur and cur never replaces p. Within one
// incarnation (same CreatedAt) the higher version is later; a later
// incarnation supersedes an earlier one and the tombstone of its erasure;
// an erasure supersedes the incarnation it ended, never one created after
// it. A snapshot without CreatedAt is compared by version alone and never
// replaces a tombstone.
func (p Profile) Supersedes(cur Profile) bool {
	switch {
	case p.Erased && cur.Erased:
		return p.ErasedAt.After(cur.ErasedAt) || (p.ErasedAt.Equal(cur.ErasedAt) && p.Version > cur.Version)
	case p.Erased:
		return cur.CreatedAt.IsZero() || p.ErasedAt.IsZero() || !cur.CreatedAt.After(p.ErasedAt)
	case cur.Erased:
		return !p.CreatedAt.IsZero() && p.CreatedAt.After(cur.ErasedAt)
	case !p.CreatedAt.IsZero() && !cur.CreatedAt.IsZero() && !p.CreatedAt.Equal(cur.CreatedAt):
		return p.CreatedAt.After(cur.CreatedAt)
	}
	return p.Version > cur.Version
}

// EligibilityApplicant is what the eligibility rules read of the profile.
func (p Profile) EligibilityApplicant() eligibility.Applicant {
	return eligibility.Applicant{
		Kind: p.Kind, HomeCountry: p.HomeCountry, DegreeLevel: p.DegreeLevel, BirthYear: p.BirthYear,
		Languages: p.Languages, AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo,
	}
}

// Program is this service's copy of a program, built from tb.programs.v1.*
// events. The BSON names are those of the read model's documents.
type Program struct {
	ID          string   `bson:"_id"`
	Version     int64    `bson:"version"`
	HostID      string   `bson:"hostId"`
	Title       string   `bson:"title"`
	Description string   `bson:"description,omitempty"`
	Kind        string   `bson:"kind"`
	HostOrg     string   `bson:"hostOrg"`
	HostCountry string   `bson:"hostCountry"`
	Region      string   `bson:"region,omitempty"`
	Fields      []string `bson:"fields,omitempty"`
	Skills      []string `bson:"skills,omitempty"`
	Seats       int      `bson:"seats"`
	// Reserves and ReserveOrder are the program's category reserves, for
	// rounds' allocation policies.
	Reserves            []programsev.Reserve `bson:"reserves,omitempty"`
	ReserveOrder        string               `bson:"reserveOrder,omitempty"`
	StartDate           string               `bson:"startDate,omitempty"`
	EndDate             string               `bson:"endDate,omitempty"`
	ApplicationDeadline string               `bson:"applicationDeadline,omitempty"`
	ClosesAt            time.Time            `bson:"closesAt"`
	Eligibility         eligibility.Rules    `bson:"eligibility"`
	Status              string               `bson:"status"`
	ClosedReason        string               `bson:"closedReason,omitempty"`
}

// ProgramFromEvent builds the read model entry of a program snapshot.
func ProgramFromEvent(p programsev.Program, version int64) Program {
	return Program{
		ID: p.ID, Version: version, HostID: p.HostID,
		Title: p.Title, Description: p.Description, Kind: p.Kind, HostOrg: p.HostOrg,
		HostCountry: p.HostCountry, Region: p.Region,
		Fields: slices.Clone(p.Fields), Skills: slices.Clone(p.Skills), Seats: p.Seats,
		Reserves: slices.Clone(p.Reserves), ReserveOrder: p.ReserveOrder,
		StartDate: p.StartDate, EndDate: p.EndDate, ApplicationDeadline: p.ApplicationDeadline,
		ClosesAt: p.ClosesAt.UTC(), Eligibility: p.Eligibility, Status: p.Status, ClosedReason: p.ClosedReason,
	}
}

// OpenAt reports whether the program takes applications at now: it is
// published and its deadline has not passed.
func (p Program) OpenAt(now time.Time) bool {
	return p.Status == programsev.StatusPublished && (p.ClosesAt.IsZero() || now.Before(p.ClosesAt))
}

// Allocatable reports whether a round may give the program's seats away:
// it is published, or closed only because its deadline passed. A program
// its host or a coordinator closed takes no one.
func (p Program) Allocatable() bool {
	return p.Status == programsev.StatusPublished ||
		(p.Status == programsev.StatusClosed && p.ClosedReason == programsev.ClosedByDeadline)
}

// EligibilityProgram is what the eligibility rules read of the program.
func (p Program) EligibilityProgram() eligibility.Program {
	return eligibility.Program{
		HostCountry: p.HostCountry, StartDate: p.StartDate, EndDate: p.EndDate,
		ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility,
	}
}

// AllocationProgram is EligibilityProgram without the deadline: a round
// runs after applications closed, and whoever applied in time stays
// eligible as far as dates of application go.
func (p Program) AllocationProgram() eligibility.Program {
	ep := p.EligibilityProgram()
	ep.ApplicationDeadline = ""
	return ep
}
