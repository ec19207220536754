// Package programs holds the payloads of the events the programs service
// publishes on tb.programs.v1.*. The envelope's subject is the program id
// and its aggregateversion is the program's version after the change.
//
// Every payload carries the whole program as it is after the change, so a
// consumer (the matching service's read model, say) can replace what it
// holds without asking for anything else, and an older version arriving
// late can be recognised by aggregateversion and dropped.
//
// Drafts are never published: the first event a program causes is
// program.published; program.updated follows only changes to a published
// program; program.closed ends the stream of events of that program.
package programs

import (
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
)

// Source is the envelope source of these events.
const Source = "programs"

// Program statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusClosed    = "closed"
)

// Reasons a program was closed (Program.ClosedReason).
const (
	ClosedByHost        = "host"
	ClosedByCoordinator = "coordinator"
	ClosedByDeadline    = "deadline"
	ClosedHostDeleted   = "host_deleted"
)

// Stipend is what a participant is paid: Amount in whole units of Currency
// (ISO 4217: INR, JPY, USD or EUR) per Period (once, week, month or year).
type Stipend struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
	Period   string `json:"period"`
}

// Reserve holds Seats of a program for applicants of one category
// (taxonomy.Categories); see DESIGN.md §5 for how a round fills them.
type Reserve struct {
	Category string `json:"category"`
	Seats    int    `json:"seats"`
}

// Reserve orders: whether a program's reserved slots come after its open
// slots (the default) or before them.
const (
	ReserveOrderLast  = "last"
	ReserveOrderFirst = "first"
)

// Program is a full snapshot of a program. JSON names follow DESIGN.md §4,
// so a consumer can decode the fields it knows into its own type.
type Program struct {
	ID string `json:"id"`
	// HostID is the account id of the host that owns the program.
	HostID        string   `json:"hostId,omitempty"`
	Title         string   `json:"title"`
	TitleJa       string   `json:"titleJa,omitempty"`
	Description   string   `json:"description"`
	DescriptionJa string   `json:"descriptionJa,omitempty"`
	Kind          string   `json:"kind"`
	HostOrg       string   `json:"hostOrg"`
	HostCountry   string   `json:"hostCountry"`
	Region        string   `json:"region"`
	Fields        []string `json:"fields"`
	Skills        []string `json:"skills"`
	Seats         int      `json:"seats"`
	// Reserves are seats held for categories of applicants (their sum at
	// most Seats); ReserveOrder is "last" (default) or "first".
	Reserves     []Reserve `json:"reserves"`
	ReserveOrder string    `json:"reserveOrder"`
	// StartDate, EndDate and ApplicationDeadline are "YYYY-MM-DD". The
	// deadline is the last day to apply, to the end of that day in the host
	// country (see eligibility.Closes); ClosesAt is that instant.
	StartDate           string            `json:"startDate"`
	EndDate             string            `json:"endDate"`
	ApplicationDeadline string            `json:"applicationDeadline"`
	ClosesAt            time.Time         `json:"closesAt"`
	Stipend             *Stipend          `json:"stipend,omitempty"`
	Eligibility         eligibility.Rules `json:"eligibility"`
	// Status is draft, published or closed.
	Status string `json:"status"`
	// Locked is true once a match round that includes the program has
	// run; seats and eligibility can no longer change.
	Locked bool `json:"locked"`
	// Version is the program's aggregate version (the envelope's
	// aggregateversion of the event that carried this snapshot).
	Version      int64      `json:"aggregateversion"`
	CreatedAt    time.Time  `json:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt"`
	PublishedAt  *time.Time `json:"publishedAt,omitempty"`
	ClosedAt     *time.Time `json:"closedAt,omitempty"`
	ClosedReason string     `json:"closedReason,omitempty"`
}

// ProgramPublished is the payload of tb.programs.v1.program.published: a
// draft became visible and open to applications.
type ProgramPublished struct {
	Program
}

// ProgramUpdated is the payload of tb.programs.v1.program.updated: a
// published program changed.
type ProgramUpdated struct {
	Program
}

// ProgramClosed is the payload of tb.programs.v1.program.closed: the
// program no longer takes applications. ClosedReason says why.
type ProgramClosed struct {
	Program
}

// SearchMatched is the payload of tb.programs.v1.search.matched: a program
// just published that an applicant's saved search (with alert on) finds.
// It is published once per (search, program); its aggregate is the saved
// search. Title is the program's, to word the notification.
type SearchMatched struct {
	SearchID  string    `json:"searchId"`
	OwnerID   string    `json:"ownerId"`
	ProgramID string    `json:"programId"`
	Title     string    `json:"title"`
	MatchedAt time.Time `json:"matchedAt"`
}
