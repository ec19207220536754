package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
)

// ReadModel keeps this service's copies of profiles and programs. Writes
// are idempotent: a repeated or older version changes nothing, and an
// erased profile's tombstone is never replaced by a profile again.
type ReadModel interface {
	// PutProfile stores p unless what is stored is as new or newer: the
	// same incarnation (CreatedAt) at a version at or above p.Version, a
	// later incarnation, or the tombstone of an erasure that came after p's
	// incarnation was created. It reports whether it wrote.
	PutProfile(ctx context.Context, p domain.Profile) (bool, error)
	// EraseProfile replaces the profile by a tombstone holding its id,
	// version and the time of the erasure only. It reports false, and
	// changes nothing, when the stored profile is a later incarnation than
	// the one erased at that time.
	EraseProfile(ctx context.Context, id string, version int64, at time.Time) (bool, error)
	// Profile returns a live profile or a *domain.NotFoundError.
	Profile(ctx context.Context, id string) (*domain.Profile, error)
	// Profiles returns the live profiles among ids, by id.
	Profiles(ctx context.Context, ids []string) (map[string]domain.Profile, error)
	// EveryProfile returns every live profile, by id.
	EveryProfile(ctx context.Context) (map[string]domain.Profile, error)
	// ImportRanks stores, all at once, new applications recorded on the
	// applicants' behalf and the applicants' rank lists, replacing any
	// they had; each rank list carries the event announce makes of the
	// applications recorded for its applicant.
	// It returns how many applications it inserted: one whose applicant
	// already has a live application to the program is skipped (and
	// announced as that live one).
	ImportRanks(ctx context.Context, apps []domain.Application, ranks map[string][]string,
		announce func(applicantID string, recorded []domain.Application) (events.Envelope, error), at time.Time) (int, error)
	// ProfileIDsByEmail maps the e-mail addresses (lower case) of live
	// imported profiles among emails to their applicant ids.
	ProfileIDsByEmail(ctx context.Context, emails []string) (map[string]string, error)
	// PutProgram stores p unless a version at or above p.Version is
	// stored. It reports whether it wrote.
	PutProgram(ctx context.Context, p domain.Program) (bool, error)
	// Program returns a program or a *domain.NotFoundError.
	Program(ctx context.Context, id string) (*domain.Program, error)
	// Programs returns the programs among ids, by id.
	Programs(ctx context.Context, ids []string) (map[string]domain.Program, error)
}

// ApplicationStore keeps applications with their outbox events.
type ApplicationStore interface {
	// InsertApplication stores a new application with its events. It
	// returns a *domain.ConflictError when the applicant already has a live
	// application to the program.
	InsertApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) error
	// Application returns an application or a *domain.NotFoundError.
	Application(ctx context.Context, id string) (*domain.Application, error)
	// ApplicationsOf returns an applicant's applications, oldest first.
	ApplicationsOf(ctx context.Context, applicantID string) ([]domain.Application, error)
	// LiveApplicationsTo returns the live applications to the programs,
	// oldest first.
	LiveApplicationsTo(ctx context.Context, programIDs []string) ([]domain.Application, error)
	// LiveApplicantsTo returns the ids of the applicants with a live
	// application to the program.
	LiveApplicantsTo(ctx context.Context, programID string) ([]string, error)
	// ProgramApplicants returns, in one lookup by the program's id, the
	// applicants a read model holds for the program: only applicants with
	// a live application, though it may miss some (see appliedTo).
	ProgramApplicants(ctx context.Context, programID string) ([]string, error)
	// ProgramApplicantsOf is ProgramApplicants for many programs at once.
	ProgramApplicantsOf(ctx context.Context, programIDs []string) (map[string][]string, error)
	// AddProgramApplicants adds applicants to that read model, by program.
	AddProgramApplicants(ctx context.Context, byProgram map[string][]string) error
	// LiveApplicationsOf returns the live applications of the applicants,
	// oldest first.
	LiveApplicationsOf(ctx context.Context, applicantIDs []string) ([]domain.Application, error)
	// LiveApplicationsAround returns, oldest first, every live application
	// of each applicant with a live application to one of the programs:
	// those to the programs and those to any other (what a run loads). Of
	// each it may set only ID, ApplicantID, ProgramID, Status and
	// SubmittedAt.
	LiveApplicationsAround(ctx context.Context, programIDs []string) ([]domain.Application, error)
	// UpdateApplication writes a, changed from version a.Version-1, with its
	// events. It reports false when the stored version moved on.
	UpdateApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) (bool, error)
}

// RankingStore keeps applicants' rank lists and hosts' rankings.
type RankingStore interface {
	SetRanking(ctx context.Context, applicantID string, programIDs []string, at time.Time) error
	// Ranking returns the applicant's rank list (nil without one) and when
	// it was set.
	Ranking(ctx context.Context, applicantID string) ([]string, time.Time, error)
	Rankings(ctx context.Context, applicantIDs []string) (map[string][]string, error)
	// EveryRanking returns every applicant's rank list.
	EveryRanking(ctx context.Context) (map[string][]string, error)
	// RemoveRanked takes a program off an applicant's rank list.
	RemoveRanked(ctx context.Context, applicantID, programID string) error
	SetProgramRanking(ctx context.Context, programID string, applicantIDs []string, by string, at time.Time) error
	ProgramRanking(ctx context.Context, programID string) ([]string, time.Time, error)
	ProgramRankings(ctx context.Context, programIDs []string) (map[string][]string, error)
	// RemoveProgramRanked takes an applicant off a program's ranking.
	RemoveProgramRanked(ctx context.Context, programID, applicantID string) error
}

// RoundStore keeps rounds and the state of their runs.
type RoundStore interface {
	InsertRound(ctx context.Context, r *domain.Round) error
	Round(ctx context.Context, id string) (*domain.Round, error)
	Rounds(ctx context.Context, page, size int) ([]domain.Round, int64, error)
	// BeginRun marks the round running under runID unless a live run holds
	// it (RunExpiresAt after now). It reports whether it did.
	BeginRun(ctx context.Context, id, runID string, now, expires time.Time) (bool, error)
	// Progress records a running round's phase and renews its run. It
	// reports false when runID no longer holds the round.
	Progress(ctx context.Context, id, runID, phase string, progress int, expires time.Time) (bool, error)
	// CompleteRun stores the result of run runID with its events. It
	// reports false when runID no longer holds the round.
	CompleteRun(ctx context.Context, r *domain.Round, runID string, evs []events.Envelope) (bool, error)
	// FailRun puts the round back to the status it had before run runID.
	FailRun(ctx context.Context, id, runID, message string) error
	// MarkPublished moves a completed round to published, with the events
	// that announce it in the same write.
	MarkPublished(ctx context.Context, id string, at time.Time, evs []events.Envelope) (bool, error)
}

// MatchStore keeps the matches rounds proposed, with their outbox events.
type MatchStore interface {
	// MatchesOfRound returns a round's matches by program and applicant.
	MatchesOfRound(ctx context.Context, roundID string) ([]domain.Match, error)
	// MatchesBegin clears the round's NoMatches before its first matches
	// are stored.
	MatchesBegin(ctx context.Context, roundID string) error
	// MatchStatesOfRound returns a round's matches with only their id,
	// applicant, program and status.
	MatchStatesOfRound(ctx context.Context, roundID string) ([]domain.Match, error)
	// SaveProposed inserts proposed matches in bulk, each with its events
	// (evs[i] belongs to ms[i]), or, when the same match is already
	// proposed, refreshes its reasons.
	SaveProposed(ctx context.Context, ms []domain.Match, evs [][]events.Envelope) error
	// DeleteProposed deletes the matches among ids that are still proposed.
	DeleteProposed(ctx context.Context, ids []string) error
	Match(ctx context.Context, id string) (*domain.Match, error)
	// UpdateMatch writes m, changed from version m.Version-1, with its
	// events. It reports false when the stored version moved on.
	UpdateMatch(ctx context.Context, m *domain.Match, evs []events.Envelope) (bool, error)
	// UpdateMatches writes, in bulk, each of ms still stored at version
	// Version-1 with its events (evs[i] belongs to ms[i]); it returns how
	// many it wrote.
	UpdateMatches(ctx context.Context, ms []domain.Match, evs [][]events.Envelope) (int, error)
	ListMatches(ctx context.Context, f MatchFilter, page, size int) ([]domain.Match, int64, error)
	MatchesOf(ctx context.Context, applicantID string) ([]domain.Match, error)
}

// ParticipantStore keeps each round's participants: what every applicant
// of its last run got and why.
type ParticipantStore interface {
	// SaveRoundApplicants stores a run's participants, replacing earlier
	// entries and deleting those of applicants in prior (RoundApplicantIDs)
	// but not in keep.
	SaveRoundApplicants(ctx context.Context, roundID string, entries []domain.RoundApplicant, prior, keep []string) error
	// RoundApplicantIDs returns the applicants the round has entries for.
	RoundApplicantIDs(ctx context.Context, roundID string) ([]string, error)
	RoundApplicants(ctx context.Context, roundID string) ([]domain.RoundApplicant, error)
	RoundApplicantsOf(ctx context.Context, applicantID string) ([]domain.RoundApplicant, error)
}

// MatchFilter selects matches; empty fields do not filter.
type MatchFilter struct {
	Status  string
	RoundID string
	// After, when set, lists the matches whose id comes after it (a key,
	// read by the _id index, where a page number skips over every match
	// before the page).
	After string
}

// LeaseStore keeps the per-program leases that let one run at a time
// allocate a program's seats, across every replica of the service.
type LeaseStore interface {
	// Acquire takes the leases of every program for owner, or none: when
	// one is held by a live owner, it returns that lease.
	Acquire(ctx context.Context, programIDs []string, owner, roundID string, now time.Time, ttl time.Duration) (*Lease, error)
	// Renew extends owner's leases; false means one was lost.
	Renew(ctx context.Context, programIDs []string, owner string, now time.Time, ttl time.Duration) (bool, error)
	Release(ctx context.Context, programIDs []string, owner string) error
}

// Lease is a program held by a run.
type Lease struct {
	ProgramID string
	Owner     string
	RoundID   string
	ExpiresAt time.Time
}

// RunLog records every run of every round: when it started and ended, on
// which programs. It holds no personal data.
type RunLog interface {
	StartRunRecord(ctx context.Context, r RunRecord) error
	FinishRunRecord(ctx context.Context, runID string, at time.Time, outcome string) error
}

// RunRecord is one run. StartedAt and FinishedAt bound the time it held
// its programs' leases.
type RunRecord struct {
	ID         string
	RoundID    string
	ProgramIDs []string
	Instance   string
	StartedAt  time.Time
	FinishedAt time.Time
	Outcome    string
}

// AuditStore keeps the audit trail.
type AuditStore interface {
	// AddAudit stores an entry; an entry with the same id is kept as it is.
	AddAudit(ctx context.Context, e domain.AuditEntry) error
	// AddAudits stores entries in bulk, as AddAudit does one.
	AddAudits(ctx context.Context, es []domain.AuditEntry) error
	// Audit returns a page of the entries f selects, newest first.
	Audit(ctx context.Context, f domain.AuditFilter, page, size int) ([]domain.AuditEntry, int64, error)
}

// MockStore keeps mock runs apart from matches.
type MockStore interface {
	// SaveMock replaces the round's mock run.
	SaveMock(ctx context.Context, m *domain.MockRun) error
	// Mock returns the round's last mock run (a *domain.NotFoundError
	// when it has none).
	Mock(ctx context.Context, roundID string) (*domain.MockRun, error)
	// MockMatchesOf returns an applicant's would-be matches, one mock run
	// per round holding only theirs.
	MockMatchesOf(ctx context.Context, applicantID string) ([]domain.MockRun, error)
}

// Eraser removes everything about an applicant except audit records.
type Eraser interface {
	// EraseApplicant deletes the applicant's applications, rank list,
	// entries in hosts' rankings, matches and round participation, frees
	// their interview slots and empties the bodies of the messages they
	// wrote or that were in their applications' threads.
	EraseApplicant(ctx context.Context, applicantID string) error
	// EraseAuthor empties the subject and body of every message the
	// person wrote, leaving ids, times and the erased mark.
	EraseAuthor(ctx context.Context, personID string) error
}

// ReviewStore keeps the review of applications: stages and documents on
// the application, interview slots and messages.
type ReviewStore interface {
	// ReviewApplication writes a's stage, history, documents and
	// interview, changed from version a.Version-1 of a live application,
	// with its events. It reports false when the stored version moved on.
	ReviewApplication(ctx context.Context, a *domain.Application, evs []events.Envelope) (bool, error)
	// LiveApplicationsAt returns the live applications to the programs
	// (every program when programIDs is nil) at stage (any when empty).
	LiveApplicationsAt(ctx context.Context, programIDs []string, stage string) ([]domain.Application, error)
	InsertSlots(ctx context.Context, slots []domain.Slot) error
	// Slots returns a program's slots by start time.
	Slots(ctx context.Context, programID string) ([]domain.Slot, error)
	Slot(ctx context.Context, id string) (*domain.Slot, error)
	// ClaimSlot gives a free slot to an application in one conditional
	// write; false when someone holds it.
	ClaimSlot(ctx context.Context, slotID, applicationID, applicantID string, at time.Time) (bool, error)
	// ReleaseSlot frees the slot if applicationID holds it.
	ReleaseSlot(ctx context.Context, slotID, applicationID string) error
	SlotsOf(ctx context.Context, applicantID string) ([]domain.Slot, error)
	// CancelSlot marks an open slot cancelled (nobody may claim it any
	// more) and returns it as it was; DeleteSlot then removes it.
	CancelSlot(ctx context.Context, slotID string) (*domain.Slot, error)
	DeleteSlot(ctx context.Context, slotID string) error
	// SlotHeld reports whether the slot is open and held by applicationID.
	SlotHeld(ctx context.Context, slotID, applicationID string) (bool, error)
	// LockSlots lets one writer at a time change a program's slots, until
	// the lock expires; UnlockSlots gives it back.
	LockSlots(ctx context.Context, programID, owner string, now, until time.Time) (bool, error)
	UnlockSlots(ctx context.Context, programID, owner string) error
	InsertMessage(ctx context.Context, m *domain.Message, evs []events.Envelope) error
	// Thread returns an application's messages, oldest first.
	Thread(ctx context.Context, applicationID string) ([]domain.Message, error)
	// MessagesTo returns the bulk messages that reached a person.
	MessagesTo(ctx context.Context, personID string) ([]domain.Message, error)
	// MessagesBy returns the messages a person wrote, received or that are
	// in their applications' threads.
	MessagesBy(ctx context.Context, personID string) ([]domain.Message, error)
}

// Store is every port the use cases need, one per aggregate; the MongoDB
// adapter provides them all.
type Store interface {
	ReadModel
	ApplicationStore
	RankingStore
	RoundStore
	MatchStore
	OfferStore
	ParticipantStore
	LeaseStore
	RunLog
	AuditStore
	Eraser
	ReviewStore
	MockStore
	PlacementOutcomeStore
}
