package httpapi

import (
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	apiprofiles "github.com/talentbridge/platform/shared/api/profiles"
)

// draftOf maps a profile body to the domain's draft.
func draftOf(r apiprofiles.ProfileRequest) domain.Draft {
	d := domain.Draft{
		Details: domain.Details{
			Kind:          r.Kind,
			Name:          r.Name,
			HomeCountry:   r.HomeCountry,
			Institution:   r.Institution,
			Region:        r.Region,
			Fields:        r.Fields,
			Skills:        r.Skills,
			Languages:     r.Languages,
			DegreeLevel:   r.DegreeLevel,
			BirthYear:     r.BirthYear,
			AvailableFrom: r.AvailableFrom,
			AvailableTo:   r.AvailableTo,
			Preferences: domain.Preferences{
				ProgramKinds: r.Preferences.ProgramKinds,
				HostRegions:  r.Preferences.HostRegions,
			},
			Statement:  r.Statement,
			Gender:     r.Gender,
			Categories: r.Categories,
		},
		Consents: domain.ConsentChoice{
			NoticeVersion:       r.Consents.NoticeVersion,
			DataProcessing:      r.Consents.DataProcessing,
			CrossBorderTransfer: r.Consents.CrossBorderTransfer,
			VisibleToHosts:      r.Consents.VisibleToHosts,
			Categories:          r.Consents.Categories,
		},
	}
	if g := r.GuardianConsent; g != nil {
		d.Guardian = &domain.GuardianChoice{Name: g.Name, Relation: g.Relation}
	}
	return d
}
