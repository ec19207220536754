// Package profiles holds the payloads of the events the profiles service
// publishes on tb.profiles.v1.*, and the contract of the data-export
// request–reply that every service answers (see export.go).
//
// The envelope's subject is the profile id, which is also the owner's
// account id ("applicant id" in every service). aggregateversion is 1 for
// profile.created, increases by one with each profile.updated, and
// profile.erased carries the last version.
package profiles

import (
	"time"

	"github.com/talentbridge/platform/shared/taxonomy"
)

// Source is the envelope source of these events.
const Source = "profiles"

// Profile is a full snapshot of a profile as it is after a change: every
// field of DESIGN.md §4. Consumers (the matching service's read model, for
// one) replace their copy with it, keeping the highest aggregateversion.
//
// Gender is self-declared and may only be used in aggregate outcome
// reports, never to score or rank anyone.
type Profile struct {
	ID            string              `json:"id"`
	Kind          string              `json:"kind"`
	Name          string              `json:"name"`
	HomeCountry   string              `json:"homeCountry"`
	Institution   string              `json:"institution,omitempty"`
	Region        string              `json:"region,omitempty"`
	Fields        []string            `json:"fields"`
	Skills        []string            `json:"skills"`
	Languages     []taxonomy.Language `json:"languages"`
	DegreeLevel   string              `json:"degreeLevel"`
	BirthYear     int                 `json:"birthYear"`
	AvailableFrom string              `json:"availableFrom,omitempty"`
	AvailableTo   string              `json:"availableTo,omitempty"`
	Preferences   Preferences         `json:"preferences"`
	Statement     string              `json:"statement,omitempty"`
	Gender        string              `json:"gender,omitempty"`
	// Categories are self-declared (taxonomy.Categories), present only
	// under consents.categories; they may be used by allocation (program
	// reserves) and aggregate reports only, never to score, and never
	// shown to hosts.
	Categories      []string         `json:"categories,omitempty"`
	Consents        Consents         `json:"consents"`
	GuardianConsent *GuardianConsent `json:"guardianConsent,omitempty"`
	// Imported is true for a profile a coordinator imported from a file
	// rather than one its owner created.
	Imported bool `json:"imported,omitempty"`
	// ImportedEmail is the e-mail address of an imported profile (empty
	// for every other), so that services can resolve an applicant named
	// by e-mail in a coordinator's import. It is never shown to hosts.
	ImportedEmail string    `json:"importedEmail,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt"`
}

// Preferences are the program kinds and host regions the applicant would
// like. Host regions are canonical region names of either country.
type Preferences struct {
	ProgramKinds []string `json:"programKinds"`
	HostRegions  []string `json:"hostRegions"`
}

// Consents are the applicant's current choices. Each is recorded with the
// time it was last set and the version of the consent notice shown then
// (in Recorded). DataProcessing is always true for a stored profile:
// withdrawing it means erasing the profile.
type Consents struct {
	// NoticeVersion is the notice version the applicant last agreed to.
	NoticeVersion       string `json:"noticeVersion"`
	DataProcessing      bool   `json:"dataProcessing"`
	CrossBorderTransfer bool   `json:"crossBorderTransfer"`
	// VisibleToHosts lets the hosts of programs the applicant is eligible
	// for find them on their candidates lists (with the limited view
	// docs/PRIVACY.md describes); without it only
	// the hosts of programs they applied to see them. It means this only
	// under a notice of version FindableSince or later: see FindableByHosts.
	VisibleToHosts bool `json:"visibleToHosts"`
	// Categories permits processing the self-declared categories; without
	// it a profile has none.
	Categories bool           `json:"categories"`
	Recorded   ConsentRecords `json:"recorded"`
}

// FindableSince is the first consent notice version under which
// visibleToHosts means "eligible hosts may find me on their candidate list".
// Under earlier notices it meant only that hosts of programs the applicant
// applied to may see the profile, so such a consent does not make anyone
// findable until it is given again under a newer notice. Notice versions
// are "YYYY-MM" and compare as strings.
const FindableSince = "2026-12"

// FindableByHosts reports whether hosts of programs the applicant did not
// apply to may list them: they consented to it under a notice that said so.
func (c Consents) FindableByHosts() bool {
	return c.VisibleToHosts && c.NoticeVersion >= FindableSince
}

// ConsentRecords says when each consent was last given or withdrawn, and
// under which notice.
type ConsentRecords struct {
	DataProcessing      ConsentRecord `json:"dataProcessing"`
	CrossBorderTransfer ConsentRecord `json:"crossBorderTransfer"`
	VisibleToHosts      ConsentRecord `json:"visibleToHosts"`
	Categories          ConsentRecord `json:"categories"`
}

// ConsentRecord is when a consent was set (server time) and the notice
// version in force.
type ConsentRecord struct {
	At            time.Time `json:"at"`
	NoticeVersion string    `json:"noticeVersion"`
	// By is set when someone other than the applicant recorded the consent
	// (a coordinator importing profiles who attests it was collected).
	By string `json:"by,omitempty"`
}

// GuardianConsent is the consent of a parent or lawful guardian, required
// when the applicant may be under 18 (India's DPDP Act, s. 9).
type GuardianConsent struct {
	Name          string    `json:"name"`
	Relation      string    `json:"relation"`
	At            time.Time `json:"at"`
	NoticeVersion string    `json:"noticeVersion"`
}

// ProfileCreated is published on tb.profiles.v1.profile.created with
// aggregateversion 1.
type ProfileCreated struct {
	Profile
}

// ProfileUpdated is published on tb.profiles.v1.profile.updated after every
// change, with the profile as it is now.
type ProfileUpdated struct {
	Profile
}

// ProfileErased is published on tb.profiles.v1.profile.erased when a
// profile is erased (by its owner, or because the account was deleted). It
// carries only the id: every service deletes what it holds about that
// applicant.
type ProfileErased struct {
	ProfileID string `json:"profileId"`
}
