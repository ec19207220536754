package mongostore

import (
	"strings"
	"time"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	"github.com/talentbridge/platform/services/profiles/internal/domain"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// profileDoc is a profile as stored in the profiles collection. Every
// field is written on every update ($set of ProfileFields), so none may be
// omitempty: a field cleared by the owner must be cleared in the store.
type profileDoc struct {
	ID            string `bson:"_id"`
	ProfileFields `bson:",inline"`
	Outbox        []outbox.Event `bson:"outbox,omitempty"`
}

// ProfileFields are the stored fields of a profile; the type is exported
// only because the BSON codec inlines exported embedded structs alone.
type ProfileFields struct {
	Kind          string         `bson:"kind"`
	Name          string         `bson:"name"`
	HomeCountry   string         `bson:"homeCountry"`
	Institution   string         `bson:"institution"`
	Region        string         `bson:"region"`
	Fields        []string       `bson:"fields"`
	Skills        []string       `bson:"skills"`
	Languages     []languageDoc  `bson:"languages"`
	DegreeLevel   string         `bson:"degreeLevel"`
	BirthYear     int            `bson:"birthYear"`
	AvailableFrom string         `bson:"availableFrom"`
	AvailableTo   string         `bson:"availableTo"`
	Preferences   preferencesDoc `bson:"preferences"`
	Statement     string         `bson:"statement"`
	Gender        string         `bson:"gender"`
	Categories    []string       `bson:"categories"`
	Consents      consentsDoc    `bson:"consents"`
	Guardian      *guardianDoc   `bson:"guardian"`
	Email         string         `bson:"email"`
	ImportBatch   string         `bson:"importBatch"`
	ImportedBy    string         `bson:"importedBy"`
	// Search holds the name, institution and skills in lower case, for the
	// coordinators' free-text filter (no text indexes here).
	Search    string    `bson:"search"`
	Version   int64     `bson:"version"`
	CreatedAt time.Time `bson:"createdAt"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

type languageDoc struct {
	Code  string `bson:"code"`
	Level string `bson:"level"`
}

type preferencesDoc struct {
	ProgramKinds []string `bson:"programKinds"`
	HostRegions  []string `bson:"hostRegions"`
}

type consentsDoc struct {
	NoticeVersion       string     `bson:"noticeVersion"`
	DataProcessing      consentDoc `bson:"dataProcessing"`
	CrossBorderTransfer consentDoc `bson:"crossBorderTransfer"`
	VisibleToHosts      consentDoc `bson:"visibleToHosts"`
	Categories          consentDoc `bson:"categories"`
}

type consentDoc struct {
	Granted       bool      `bson:"granted"`
	At            time.Time `bson:"at"`
	NoticeVersion string    `bson:"noticeVersion"`
	By            string    `bson:"by"`
}

type guardianDoc struct {
	Name          string    `bson:"name"`
	Relation      string    `bson:"relation"`
	At            time.Time `bson:"at"`
	NoticeVersion string    `bson:"noticeVersion"`
}

// tombstoneDoc replaces an erased profile until its last event is out: the
// id, the mark and the event, nothing else.
type tombstoneDoc struct {
	ID        string         `bson:"_id"`
	Tombstone bool           `bson:"tombstone"`
	Outbox    []outbox.Event `bson:"outbox"`
}

func fieldsOf(p *domain.Profile) ProfileFields {
	f := ProfileFields{
		Kind:          p.Kind,
		Name:          p.Name,
		HomeCountry:   p.HomeCountry,
		Institution:   p.Institution,
		Region:        p.Region,
		Fields:        orEmpty(p.Fields),
		Skills:        orEmpty(p.Skills),
		Languages:     make([]languageDoc, len(p.Languages)),
		DegreeLevel:   p.DegreeLevel,
		BirthYear:     p.BirthYear,
		AvailableFrom: p.AvailableFrom,
		AvailableTo:   p.AvailableTo,
		Preferences: preferencesDoc{
			ProgramKinds: orEmpty(p.Preferences.ProgramKinds),
			HostRegions:  orEmpty(p.Preferences.HostRegions),
		},
		Statement:  p.Statement,
		Gender:     p.Gender,
		Categories: orEmpty(p.Categories),
		Consents: consentsDoc{
			NoticeVersion:       p.Consents.NoticeVersion,
			DataProcessing:      consentDoc(p.Consents.DataProcessing),
			CrossBorderTransfer: consentDoc(p.Consents.CrossBorderTransfer),
			VisibleToHosts:      consentDoc(p.Consents.VisibleToHosts),
			Categories:          consentDoc(p.Consents.Categories),
		},
		Email:       p.Email,
		ImportBatch: p.ImportBatch,
		ImportedBy:  p.ImportedBy,
		Search:      searchText(p),
		Version:     p.Version,
		CreatedAt:   p.CreatedAt,
		UpdatedAt:   p.UpdatedAt,
	}
	for i, l := range p.Languages {
		f.Languages[i] = languageDoc(l)
	}
	if g := p.Guardian; g != nil {
		gd := guardianDoc(*g)
		f.Guardian = &gd
	}
	return f
}

func (d *profileDoc) profile() *domain.Profile {
	f := d.ProfileFields
	p := &domain.Profile{
		ID: d.ID,
		Details: domain.Details{
			Kind:          f.Kind,
			Name:          f.Name,
			HomeCountry:   f.HomeCountry,
			Institution:   f.Institution,
			Region:        f.Region,
			Fields:        orEmpty(f.Fields),
			Skills:        orEmpty(f.Skills),
			Languages:     make([]taxonomy.Language, len(f.Languages)),
			DegreeLevel:   f.DegreeLevel,
			BirthYear:     f.BirthYear,
			AvailableFrom: f.AvailableFrom,
			AvailableTo:   f.AvailableTo,
			Preferences: domain.Preferences{
				ProgramKinds: orEmpty(f.Preferences.ProgramKinds),
				HostRegions:  orEmpty(f.Preferences.HostRegions),
			},
			Statement:  f.Statement,
			Gender:     f.Gender,
			Categories: orEmpty(f.Categories),
		},
		Consents: domain.Consents{
			NoticeVersion:       f.Consents.NoticeVersion,
			DataProcessing:      consent(f.Consents.DataProcessing),
			CrossBorderTransfer: consent(f.Consents.CrossBorderTransfer),
			VisibleToHosts:      consent(f.Consents.VisibleToHosts),
			Categories:          consent(f.Consents.Categories),
		},
		Email:       f.Email,
		ImportBatch: f.ImportBatch,
		ImportedBy:  f.ImportedBy,
		Version:     f.Version,
		CreatedAt:   f.CreatedAt.UTC(),
		UpdatedAt:   f.UpdatedAt.UTC(),
	}
	for i, l := range f.Languages {
		p.Languages[i] = taxonomy.Language(l)
	}
	if g := f.Guardian; g != nil {
		p.Guardian = &domain.Guardian{Name: g.Name, Relation: g.Relation, At: g.At.UTC(), NoticeVersion: g.NoticeVersion}
	}
	return p
}

func consent(c consentDoc) domain.Consent {
	return domain.Consent{Granted: c.Granted, At: c.At.UTC(), NoticeVersion: c.NoticeVersion, By: c.By}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func searchText(p *domain.Profile) string {
	parts := append([]string{p.Name, p.Institution}, p.Skills...)
	return strings.ToLower(strings.Join(parts, "\n"))
}

// applicationDoc is one entry of the applications read model, keyed by
// the application id. It holds ids only.
type applicationDoc struct {
	ID          string    `bson:"_id"`
	ApplicantID string    `bson:"applicantId"`
	ProgramID   string    `bson:"programId"`
	HostID      string    `bson:"hostId"`
	Status      string    `bson:"status"`
	At          time.Time `bson:"at"`
	Version     int64     `bson:"version"`
}

// importDoc records one import batch: the file's hash, the coordinator,
// counts and times; no personal data of the people imported.
type importDoc struct {
	ID          string    `bson:"_id"`
	By          string    `bson:"by"`
	Rows        int       `bson:"rows"`
	Status      string    `bson:"status"`
	StartedAt   time.Time `bson:"startedAt"`
	CompletedAt time.Time `bson:"completedAt"`
}

func (d importDoc) batch() *app.ImportBatch {
	return &app.ImportBatch{ID: d.ID, By: d.By, Rows: d.Rows, Status: d.Status,
		StartedAt: d.StartedAt.UTC(), CompletedAt: d.CompletedAt.UTC()}
}
