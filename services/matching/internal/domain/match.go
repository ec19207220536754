package domain

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Match statuses (DESIGN.md §4).
const (
	MatchProposed  = matchingev.StatusProposed
	MatchApproved  = matchingev.StatusApproved
	MatchRejected  = matchingev.StatusRejected
	MatchPublished = matchingev.StatusPublished
	MatchAccepted  = matchingev.StatusAccepted
	MatchDeclined  = matchingev.StatusDeclined
	MatchExpired   = matchingev.StatusExpired
)

// MatchStatuses lists every status, for validating filters.
var MatchStatuses = []string{MatchProposed, MatchApproved, MatchRejected, MatchPublished, MatchAccepted, MatchDeclined, MatchExpired}

// MaxNote is the longest note or reason a coordinator may write.
const MaxNote = 2000

// Match is a proposed pairing of an applicant with a program in a round and
// what became of it: a coordinator approves or rejects it, publishing the
// round makes approved matches offers, and the applicant accepts or
// declines.
type Match struct {
	ID          string
	RoundID     string
	ApplicantID string
	ProgramID   string
	HostID      string
	Status      string
	// Choice is the program's place in the applicant's order, from 1.
	Choice  int
	Score   float64
	Reasons []explain.Reason
	Note    string
	// RespondBy is when a published offer expires unanswered; zero before
	// the match is published.
	RespondBy time.Time
	// RemindedAt is when the applicant was reminded of the deadline.
	RemindedAt time.Time
	DecidedBy  string
	DecidedAt  time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Version    int64
}

// matchNamespace makes match ids: one id per round, applicant and program,
// so a run that is repeated after a crash writes the same matches again.
var matchNamespace = uuid.MustParse("6f1c6a4e-8a1b-4f53-9d1e-3c1f2a7b9e40")

// MatchID returns the id of the match of an applicant and a program in a
// round.
func MatchID(roundID, applicantID, programID string) string {
	return uuid.NewSHA1(matchNamespace, []byte(roundID+"\x00"+applicantID+"\x00"+programID)).String()
}

// Live reports whether the match holds a seat: proposed, approved,
// published or accepted.
func (m *Match) Live() bool {
	switch m.Status {
	case MatchProposed, MatchApproved, MatchPublished, MatchAccepted:
		return true
	}
	return false
}

// Fixed reports whether a re-run of the round must keep the match: a
// coordinator approved it, or it was offered or accepted.
func (m *Match) Fixed() bool {
	switch m.Status {
	case MatchApproved, MatchPublished, MatchAccepted:
		return true
	}
	return false
}

// VisibleToApplicant reports whether the applicant may see the match:
// coordinators' decisions stay internal until the round is published.
func (m *Match) VisibleToApplicant() bool {
	switch m.Status {
	case MatchPublished, MatchAccepted, MatchDeclined, MatchExpired:
		return true
	}
	return false
}

func (m *Match) transition(from, to string, now time.Time) error {
	if m.Status != from {
		return Conflict("match_"+m.Status, "the match is %s, not %s", m.Status, from)
	}
	m.Status = to
	m.UpdatedAt = now
	m.Version++
	return nil
}

// Approve records a coordinator's approval, with an optional note.
func (m *Match) Approve(by, note string, now time.Time) error {
	note, err := cleanNote("note", note, false)
	if err != nil {
		return err
	}
	if err := m.transition(MatchProposed, MatchApproved, now); err != nil {
		return err
	}
	m.Note, m.DecidedBy, m.DecidedAt = note, by, now
	return nil
}

// Reject records a coordinator's rejection; the reason is required.
func (m *Match) Reject(by, reason string, now time.Time) error {
	reason, err := cleanNote("reason", reason, true)
	if err != nil {
		return err
	}
	if err := m.transition(MatchProposed, MatchRejected, now); err != nil {
		return err
	}
	m.Note, m.DecidedBy, m.DecidedAt = reason, by, now
	return nil
}

// Publish turns an approved match into an offer to be answered by
// respondBy.
func (m *Match) Publish(now, respondBy time.Time) error {
	if err := m.transition(MatchApproved, MatchPublished, now); err != nil {
		return err
	}
	m.RespondBy = respondBy.UTC()
	return nil
}

// Lapsed reports whether the match is an offer whose deadline has passed,
// whether or not the expiry has been recorded yet.
func (m *Match) Lapsed(now time.Time) bool {
	switch m.Status {
	case MatchExpired:
		return true
	case MatchPublished:
		return !m.RespondBy.IsZero() && !now.Before(m.RespondBy)
	}
	return false
}

// answer moves an offer to an answer, refusing once its deadline passed.
func (m *Match) answer(to string, now time.Time) error {
	if m.Lapsed(now) {
		return Conflict("offer_expired", "the offer expired at %s unanswered", m.RespondBy.UTC().Format(time.RFC3339))
	}
	return m.transition(MatchPublished, to, now)
}

// Accept records that the applicant took the offer.
func (m *Match) Accept(now time.Time) error { return m.answer(MatchAccepted, now) }

// Decline records that the applicant turned the offer down.
func (m *Match) Decline(now time.Time) error { return m.answer(MatchDeclined, now) }

// Expire records that the offer went unanswered past its deadline.
func (m *Match) Expire(now time.Time) error {
	if m.Status == MatchPublished && !m.Lapsed(now) {
		return Conflict("offer_open", "the offer is open until %s", m.RespondBy.UTC().Format(time.RFC3339))
	}
	return m.transition(MatchPublished, MatchExpired, now)
}

func cleanNote(field, s string, required bool) (string, error) {
	s = strings.TrimSpace(s)
	var errs fieldErrors
	switch {
	case s == "" && required:
		errs.add(fielderr.NewRequired(field))
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxNote:
		errs.add(fielderr.NewTooLong(field, MaxNote).Because("must be at most %d characters of text", MaxNote))
	}
	return s, errs.err()
}

// AuditEntry is one append-only record of who did what, when and why. It
// holds ids only: no names, addresses or statements.
type AuditEntry struct {
	ID         string
	At         time.Time
	ActorID    string
	ActorRole  string
	Action     string
	EntityType string
	EntityID   string
	RoundID    string
	Note       string
}

// AuditFilter narrows the audit trail; empty fields and zero times do not
// filter. From and To bound the entry's time, To excluded.
type AuditFilter struct {
	EntityType, EntityID string
	Action, ActorID      string
	From, To             time.Time
}

// Audit entity types.
const (
	EntityMatch       = "match"
	EntityRound       = "round"
	EntityProgram     = "program"
	EntityApplication = "application"
)
