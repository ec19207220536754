package mongostore

import (
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/outbox"
	"github.com/talentbridge/platform/shared/taxonomy"
)

// programDoc is a program as stored in the programs collection, with its
// unpublished events.
type programDoc struct {
	ID            string       `bson:"_id"`
	HostID        string       `bson:"hostId"`
	Title         string       `bson:"title"`
	TitleJa       string       `bson:"titleJa"`
	Description   string       `bson:"description"`
	DescriptionJa string       `bson:"descriptionJa"`
	Kind          string       `bson:"kind"`
	HostOrg       string       `bson:"hostOrg"`
	HostCountry   string       `bson:"hostCountry"`
	Region        string       `bson:"region"`
	Fields        []string     `bson:"fields"`
	Skills        []string     `bson:"skills"`
	Seats         int          `bson:"seats"`
	Reserves      []reserveDoc `bson:"reserves"`
	ReserveOrder  string       `bson:"reserveOrder"`
	StartDate     string       `bson:"startDate"`
	EndDate       string       `bson:"endDate"`
	Deadline      string       `bson:"applicationDeadline"`
	ClosesAt      time.Time    `bson:"closesAt"`
	Stipend       *stipendDoc  `bson:"stipend"`
	Eligibility   rulesDoc     `bson:"eligibility"`
	Status        string       `bson:"status"`
	Locked        bool         `bson:"locked"`
	LockedBy      []string     `bson:"lockedBy"`
	Version       int64        `bson:"version"`
	CreatedAt     time.Time    `bson:"createdAt"`
	UpdatedAt     time.Time    `bson:"updatedAt"`
	PublishedAt   *time.Time   `bson:"publishedAt"`
	ClosedAt      *time.Time   `bson:"closedAt"`
	ClosedReason  string       `bson:"closedReason"`
	// Rev counts every write of the document; writes are conditional on
	// the revision they read.
	Rev int64 `bson:"rev"`

	Outbox []outbox.Event `bson:"outbox,omitempty"`
}

type stipendDoc struct {
	Amount   int64  `bson:"amount"`
	Currency string `bson:"currency"`
	Period   string `bson:"period"`
}

type rulesDoc struct {
	ApplicantKinds []string  `bson:"applicantKinds"`
	HomeCountries  []string  `bson:"homeCountries"`
	DegreeLevels   []string  `bson:"degreeLevels"`
	Languages      []langDoc `bson:"languages"`
	MinAge         int       `bson:"minAge"`
	MaxAge         int       `bson:"maxAge"`
}

type langDoc struct {
	Code     string `bson:"code"`
	MinLevel string `bson:"minLevel"`
}

func toDoc(p *domain.Program) programDoc {
	c := p.Content
	d := programDoc{
		ID: p.ID, HostID: p.HostID,
		Title: c.Title, TitleJa: c.TitleJa, Description: c.Description, DescriptionJa: c.DescriptionJa,
		Kind: c.Kind, HostOrg: c.HostOrg, HostCountry: c.HostCountry, Region: c.Region,
		Fields: c.Fields, Skills: c.Skills, Seats: c.SeatCount(),
		StartDate: c.StartDate, EndDate: c.EndDate, Deadline: c.ApplicationDeadline, ClosesAt: p.ClosesAt,
		Status: string(p.Status), Locked: p.Locked, LockedBy: p.LockedBy, Version: p.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, ClosedReason: p.ClosedReason,
		PublishedAt: timePtr(p.PublishedAt), ClosedAt: timePtr(p.ClosedAt),
	}
	if c.Stipend != nil {
		d.Stipend = &stipendDoc{Amount: c.Stipend.Amount, Currency: c.Stipend.Currency, Period: c.Stipend.Period}
	}
	d.ReserveOrder = c.ReserveOrder
	for _, x := range c.Reserves {
		d.Reserves = append(d.Reserves, reserveDoc(x))
	}
	r := c.Eligibility
	d.Eligibility = rulesDoc{ApplicantKinds: r.ApplicantKinds, HomeCountries: r.HomeCountries,
		DegreeLevels: r.DegreeLevels, MinAge: r.MinAge, MaxAge: r.MaxAge}
	for _, l := range r.Languages {
		d.Eligibility.Languages = append(d.Eligibility.Languages, langDoc{Code: l.Code, MinLevel: l.MinLevel})
	}
	return d
}

func fromDoc(d programDoc) *domain.Program {
	seats := d.Seats
	c := domain.Content{
		Title: d.Title, TitleJa: d.TitleJa, Description: d.Description, DescriptionJa: d.DescriptionJa,
		Kind: d.Kind, HostOrg: d.HostOrg, HostCountry: d.HostCountry, Region: d.Region,
		Fields: nilIfEmpty(d.Fields), Skills: nilIfEmpty(d.Skills), Seats: &seats,
		StartDate: d.StartDate, EndDate: d.EndDate, ApplicationDeadline: d.Deadline,
	}
	if d.Stipend != nil {
		c.Stipend = &domain.Stipend{Amount: d.Stipend.Amount, Currency: d.Stipend.Currency, Period: d.Stipend.Period}
	}
	c.ReserveOrder = d.ReserveOrder
	if c.ReserveOrder == "" {
		c.ReserveOrder = domain.ReserveLast // stored before reserves existed
	}
	for _, x := range d.Reserves {
		c.Reserves = append(c.Reserves, domain.Reserve(x))
	}
	r := d.Eligibility
	c.Eligibility = eligibility.Rules{ApplicantKinds: nilIfEmpty(r.ApplicantKinds), HomeCountries: nilIfEmpty(r.HomeCountries),
		DegreeLevels: nilIfEmpty(r.DegreeLevels), MinAge: r.MinAge, MaxAge: r.MaxAge}
	for _, l := range r.Languages {
		c.Eligibility.Languages = append(c.Eligibility.Languages, taxonomy.LanguageRequirement{Code: l.Code, MinLevel: l.MinLevel})
	}
	return &domain.Program{
		ID: d.ID, HostID: d.HostID, Content: c, Status: domain.Status(d.Status),
		Locked: d.Locked, LockedBy: nilIfEmpty(d.LockedBy), Version: d.Version,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(),
		PublishedAt: timeOf(d.PublishedAt), ClosedAt: timeOf(d.ClosedAt),
		ClosedReason: d.ClosedReason, ClosesAt: d.ClosesAt.UTC(),
	}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func timeOf(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// hostFact is one thing known about a host account, as its own document
// with the id "<user id>#<fact>". Facts are only ever inserted, never
// changed, so identity events can be applied in any order and any number
// of times, and two replicas applying them at once cannot undo each other.
type hostFact struct {
	ID   string    `bson:"_id"`
	Host string    `bson:"host"`
	Fact string    `bson:"fact"`
	At   time.Time `bson:"at"`
}

// Facts about hosts.
const (
	factVerified = "verified"
	factDeleted  = "deleted"
	// factSignedUp: the account exists as a host's (pending or not), so
	// it may keep drafts before a coordinator verifies it.
	factSignedUp = "signed_up"
)

// claimDoc reserves revision Rev of a program for one writer.
type claimDoc struct {
	ID string    `bson:"_id"` // "<program id>/<rev>"
	At time.Time `bson:"at"`
}

// importDoc is a CSV import: the whole batch of programs and their events
// while pending, only the ids once finished.
type importDoc struct {
	ID         string       `bson:"_id"`
	HostID     string       `bson:"hostId"`
	CreatedAt  time.Time    `bson:"createdAt"`
	State      string       `bson:"state"`
	ProgramIDs []string     `bson:"programIds"`
	Programs   []programDoc `bson:"programs,omitempty"`
}

const (
	importPending = "pending"
	importDone    = "done"
)

type reserveDoc struct {
	Category string `bson:"category"`
	Seats    int    `bson:"seats"`
}
