package app

import (
	"slices"

	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// Snapshot is the profile as the events and the API show it.
func Snapshot(p *domain.Profile) profilesev.Profile {
	s := profilesev.Profile{
		ID:            p.ID,
		Kind:          p.Kind,
		Name:          p.Name,
		HomeCountry:   p.HomeCountry,
		Institution:   p.Institution,
		Region:        p.Region,
		Fields:        nonNil(p.Fields),
		Skills:        nonNil(p.Skills),
		Languages:     slices.Clone(p.Languages),
		DegreeLevel:   p.DegreeLevel,
		BirthYear:     p.BirthYear,
		AvailableFrom: p.AvailableFrom,
		AvailableTo:   p.AvailableTo,
		Preferences: profilesev.Preferences{
			ProgramKinds: nonNil(p.Preferences.ProgramKinds),
			HostRegions:  nonNil(p.Preferences.HostRegions),
		},
		Statement:  p.Statement,
		Gender:     p.Gender,
		Categories: slices.Clone(p.Categories),
		Consents: profilesev.Consents{
			NoticeVersion:       p.Consents.NoticeVersion,
			DataProcessing:      p.Consents.DataProcessing.Granted,
			CrossBorderTransfer: p.Consents.CrossBorderTransfer.Granted,
			VisibleToHosts:      p.Consents.VisibleToHosts.Granted,
			Categories:          p.Consents.Categories.Granted,
			Recorded: profilesev.ConsentRecords{
				DataProcessing:      consentRecord(p.Consents.DataProcessing),
				CrossBorderTransfer: consentRecord(p.Consents.CrossBorderTransfer),
				VisibleToHosts:      consentRecord(p.Consents.VisibleToHosts),
				Categories:          consentRecord(p.Consents.Categories),
			},
		},
		Imported:      p.ImportBatch != "",
		ImportedEmail: importedEmail(p),
		CreatedAt:     p.CreatedAt,
		UpdatedAt:     p.UpdatedAt,
	}
	if s.Languages == nil {
		s.Languages = []taxonomy.Language{}
	}
	if g := p.Guardian; g != nil {
		s.GuardianConsent = &profilesev.GuardianConsent{Name: g.Name, Relation: g.Relation, At: g.At, NoticeVersion: g.NoticeVersion}
	}
	return s
}

func consentRecord(c domain.Consent) profilesev.ConsentRecord {
	return profilesev.ConsentRecord{At: c.At, NoticeVersion: c.NoticeVersion, By: c.By}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func createdEvent(p *domain.Profile) (events.Envelope, error) {
	return events.New(profilesev.Source, events.ProfileCreated, p.ID, p.Version,
		profilesev.ProfileCreated{Profile: Snapshot(p)})
}

func updatedEvent(p *domain.Profile) (events.Envelope, error) {
	return events.New(profilesev.Source, events.ProfileUpdated, p.ID, p.Version,
		profilesev.ProfileUpdated{Profile: Snapshot(p)})
}

// erasedEvent is the last event of a profile: its version follows the last
// change, and it carries the id alone.
func erasedEvent(p *domain.Profile) (events.Envelope, error) {
	return events.New(profilesev.Source, events.ProfileErased, p.ID, p.Version+1,
		profilesev.ProfileErased{ProfileID: p.ID})
}

// importedEmail is the address an imported profile was made from; a
// profile its owner created carries none in its events.
func importedEmail(p *domain.Profile) string {
	if p.ImportBatch == "" {
		return ""
	}
	return p.Email
}
