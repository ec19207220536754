package mongostore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/outbox"
)

// notRunning is the runExpiresAt of a round no run holds: far in the past,
// so "expired before now" holds for it.
var notRunning = time.Unix(0, 0).UTC()

// profileDoc is a profile of the read model, or, with Erased set, the
// tombstone of an erased one (id, version and syncedAt only).
type profileDoc struct {
	ID                 string    `bson:"_id"`
	Version            int64     `bson:"version"`
	CreatedAt          time.Time `bson:"createdAt,omitempty"`
	Erased             bool      `bson:"erased,omitempty"`
	ErasedAt           time.Time `bson:"erasedAt,omitempty"`
	domain.ProfileData `bson:",inline"`
	// SyncedAt is when this service wrote the document (the standalone
	// benchmarks time event delivery by it).
	SyncedAt time.Time `bson:"syncedAt"`
}

func profileDocOf(p domain.Profile, at time.Time) profileDoc {
	return profileDoc{ID: p.ID, Version: p.Version, CreatedAt: p.CreatedAt, Erased: p.Erased, ErasedAt: p.ErasedAt,
		ProfileData: p.ProfileData, SyncedAt: at}
}

func (d profileDoc) profile() domain.Profile {
	return domain.Profile{ID: d.ID, Version: d.Version, CreatedAt: d.CreatedAt.UTC(), Erased: d.Erased,
		ErasedAt: d.ErasedAt.UTC(), ProfileData: d.ProfileData}
}

// programDoc is a program of the read model: the program with the time
// this service wrote it.
type programDoc struct {
	domain.Program `bson:",inline"`
	SyncedAt       time.Time `bson:"syncedAt"`
}

func programDocOf(p domain.Program, at time.Time) programDoc {
	return programDoc{Program: p, SyncedAt: at}
}

func (d programDoc) program() domain.Program {
	p := d.Program
	p.ClosesAt = p.ClosesAt.UTC()
	if p.ClosesAt.Before(time.Unix(1, 0)) {
		p.ClosesAt = time.Time{}
	}
	return p
}

// applicationDoc is an application. LiveKey is "<applicant> <program>"
// while the application is live and "withdrawn <id>" after: a unique
// index on it allows one live application per program without a partial
// index.
type applicationDoc struct {
	ID          string         `bson:"_id"`
	ApplicantID string         `bson:"applicantId"`
	ProgramID   string         `bson:"programId"`
	HostID      string         `bson:"hostId"`
	Status      string         `bson:"status"`
	LiveKey     string         `bson:"liveKey"`
	SubmittedAt time.Time      `bson:"submittedAt"`
	WithdrawnAt *time.Time     `bson:"withdrawnAt,omitempty"`
	Version     int64          `bson:"version"`
	RecordedBy  string         `bson:"recordedBy,omitempty"`
	Outbox      []outbox.Event `bson:"outbox,omitempty"`
	// The review (review.go).
	Stage       string           `bson:"stage,omitempty"`
	History     []stageChangeDoc `bson:"history,omitempty"`
	DocumentIDs []string         `bson:"documentIds,omitempty"`
	Interview   *bookingDoc      `bson:"interview,omitempty"`
}

func liveKey(a *domain.Application) string {
	if a.Live() {
		return a.ApplicantID + " " + a.ProgramID
	}
	return "withdrawn " + a.ID
}

func applicationDocOf(a *domain.Application) applicationDoc {
	d := applicationDoc{ID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID,
		Status: a.Status, LiveKey: liveKey(a), SubmittedAt: a.SubmittedAt, Version: a.Version, RecordedBy: a.RecordedBy}
	if !a.WithdrawnAt.IsZero() {
		t := a.WithdrawnAt
		d.WithdrawnAt = &t
	}
	d.setReview(a)
	return d
}

func (d applicationDoc) application() domain.Application {
	a := domain.Application{ID: d.ID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID, HostID: d.HostID,
		Status: d.Status, SubmittedAt: d.SubmittedAt.UTC(), Version: d.Version, RecordedBy: d.RecordedBy}
	if d.WithdrawnAt != nil {
		a.WithdrawnAt = d.WithdrawnAt.UTC()
	}
	d.review(&a)
	return a
}

// rankingDoc is an applicant's rank list (id = applicant id) or a host's
// ranking of a program's applicants (id = program id).
type rankingDoc struct {
	ID           string    `bson:"_id"`
	ProgramIDs   []string  `bson:"programIds,omitempty"`
	ApplicantIDs []string  `bson:"applicantIds,omitempty"`
	By           string    `bson:"by,omitempty"`
	UpdatedAt    time.Time `bson:"updatedAt"`
}

type runStatsDoc struct {
	Applicants int `bson:"applicants"`
	Programs   int `bson:"programs"`
	Seats      int `bson:"seats"`
	OpenSeats  int `bson:"openSeats"`
	Proposed   int `bson:"proposed"`
	Fixed      int `bson:"fixed"`
	Unmatched  int `bson:"unmatched"`
	Excluded   int `bson:"excluded"`
}

// seatsDoc is a program's seats at a round's last run.
type seatsDoc struct {
	ProgramID string `bson:"programId"`
	Seats     int    `bson:"seats"`
}

// roundDoc is a round.
type roundDoc struct {
	ID            string         `bson:"_id"`
	Name          string         `bson:"name"`
	ProgramIDs    []string       `bson:"programIds"`
	Seed          int64          `bson:"seed"`
	Status        string         `bson:"status"`
	Phase         string         `bson:"phase"`
	Progress      int            `bson:"progress"`
	BlockingPairs int            `bson:"blockingPairs"`
	OverCapacity  int            `bson:"overCapacity"`
	Unacceptable  int            `bson:"unacceptable"`
	Stats         runStatsDoc    `bson:"stats"`
	Seats         []seatsDoc     `bson:"seats,omitempty"`
	OfferDays     int            `bson:"offerDays,omitempty"`
	ParentID      string         `bson:"parentId,omitempty"`
	SeatLimits    []seatsDoc     `bson:"seatLimits,omitempty"`
	Applicants    []string       `bson:"applicantIds,omitempty"`
	Policy        *policyDoc     `bson:"policy,omitempty"`
	PolicyUse     *policyUseDoc  `bson:"policyUse,omitempty"`
	Runs          int            `bson:"runs"`
	NoMatches     bool           `bson:"noMatches,omitempty"`
	RunID         string         `bson:"runId"`
	RunExpiresAt  time.Time      `bson:"runExpiresAt"`
	PrevStatus    string         `bson:"prevStatus"`
	LastError     string         `bson:"lastError"`
	CreatedBy     string         `bson:"createdBy"`
	CreatedAt     time.Time      `bson:"createdAt"`
	StartedAt     *time.Time     `bson:"startedAt,omitempty"`
	CompletedAt   *time.Time     `bson:"completedAt,omitempty"`
	PublishedAt   *time.Time     `bson:"publishedAt,omitempty"`
	DurationMS    int64          `bson:"durationMs"`
	Version       int64          `bson:"version"`
	Outbox        []outbox.Event `bson:"outbox,omitempty"`
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

func seatsOf(r *domain.Round) []seatsDoc { return seatList(r.ProgramIDs, r.Seats) }

func seatList(ids []string, seats map[string]int) []seatsDoc {
	var out []seatsDoc
	for _, id := range ids {
		if n, ok := seats[id]; ok {
			out = append(out, seatsDoc{ProgramID: id, Seats: n})
		}
	}
	return out
}

func roundDocOf(r *domain.Round) roundDoc {
	expires := r.RunExpiresAt
	if expires.IsZero() {
		expires = notRunning
	}
	s := r.Stats
	return roundDoc{ID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Status: r.Status,
		Phase: r.Phase, Progress: r.Progress, BlockingPairs: r.BlockingPairs, OverCapacity: r.OverCapacity,
		Unacceptable: r.Unacceptable,
		Stats: runStatsDoc{Applicants: s.Applicants, Programs: s.Programs, Seats: s.Seats, OpenSeats: s.OpenSeats,
			Proposed: s.Proposed, Fixed: s.Fixed, Unmatched: s.Unmatched, Excluded: s.Excluded},
		Seats: seatsOf(r), Runs: r.Runs, NoMatches: r.NoMatches, RunID: r.RunID, RunExpiresAt: expires, PrevStatus: r.PrevStatus,
		LastError: r.LastError, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, StartedAt: timePtr(r.StartedAt),
		CompletedAt: timePtr(r.CompletedAt), PublishedAt: timePtr(r.PublishedAt),
		DurationMS: r.Duration.Milliseconds(), Version: r.Version,
		OfferDays: r.OfferDays, ParentID: r.ParentID, SeatLimits: seatList(r.ProgramIDs, r.SeatLimits), Applicants: r.Applicants,
		Policy: policyDocOf(r.Policy), PolicyUse: policyUseDocOf(r.PolicyUse)}
}

func seatMap(l []seatsDoc) map[string]int {
	if len(l) == 0 {
		return nil
	}
	out := make(map[string]int, len(l))
	for _, x := range l {
		out[x.ProgramID] = x.Seats
	}
	return out
}

func (d roundDoc) round() *domain.Round {
	expires := d.RunExpiresAt.UTC()
	if !expires.After(notRunning) {
		expires = time.Time{}
	}
	s := d.Stats
	seats := seatMap(d.Seats)
	return &domain.Round{ID: d.ID, Name: d.Name, ProgramIDs: d.ProgramIDs, Seed: d.Seed, Status: d.Status,
		Phase: d.Phase, Progress: d.Progress, BlockingPairs: d.BlockingPairs, OverCapacity: d.OverCapacity,
		Unacceptable: d.Unacceptable,
		Stats: domain.RunStats{Applicants: s.Applicants, Programs: s.Programs, Seats: s.Seats, OpenSeats: s.OpenSeats,
			Proposed: s.Proposed, Fixed: s.Fixed, Unmatched: s.Unmatched, Excluded: s.Excluded},
		Seats: seats, Runs: d.Runs, NoMatches: d.NoMatches, RunID: d.RunID, RunExpiresAt: expires, PrevStatus: d.PrevStatus,
		LastError: d.LastError, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), StartedAt: timeOf(d.StartedAt),
		CompletedAt: timeOf(d.CompletedAt), PublishedAt: timeOf(d.PublishedAt),
		Duration: time.Duration(d.DurationMS) * time.Millisecond, Version: d.Version,
		OfferDays: d.OfferDays, ParentID: d.ParentID, SeatLimits: seatMap(d.SeatLimits), Applicants: d.Applicants,
		Policy: d.Policy.policy(), PolicyUse: d.PolicyUse.use()}
}

// matchDoc is a match.
type matchDoc struct {
	ID          string           `bson:"_id"`
	RoundID     string           `bson:"roundId"`
	ApplicantID string           `bson:"applicantId"`
	ProgramID   string           `bson:"programId"`
	HostID      string           `bson:"hostId"`
	Status      string           `bson:"status"`
	Choice      int              `bson:"choice"`
	Score       float64          `bson:"score"`
	Reasons     []explain.Reason `bson:"reasons,omitempty"` // before Detail
	Detail      []byte           `bson:"detail,omitempty"`  // the reasons, packed
	Note        string           `bson:"note,omitempty"`
	RespondBy   *time.Time       `bson:"respondBy,omitempty"`
	RemindedAt  *time.Time       `bson:"remindedAt,omitempty"`
	DecidedBy   string           `bson:"decidedBy,omitempty"`
	DecidedAt   *time.Time       `bson:"decidedAt,omitempty"`
	CreatedAt   time.Time        `bson:"createdAt"`
	UpdatedAt   time.Time        `bson:"updatedAt"`
	Version     int64            `bson:"version"`
	Outbox      []outbox.Event   `bson:"outbox,omitempty"`
}

func matchDocOf(m *domain.Match) matchDoc {
	return matchDoc{ID: m.ID, RoundID: m.RoundID, ApplicantID: m.ApplicantID, ProgramID: m.ProgramID,
		HostID: m.HostID, Status: m.Status, Choice: m.Choice, Score: m.Score, Detail: pack(m.Reasons), Note: m.Note,
		RespondBy: timePtr(m.RespondBy), RemindedAt: timePtr(m.RemindedAt), DecidedBy: m.DecidedBy, DecidedAt: timePtr(m.DecidedAt), CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt,
		Version: m.Version}
}

func (d matchDoc) match() (domain.Match, error) {
	reasons := d.Reasons
	if err := unpack(d.Detail, &reasons); err != nil {
		return domain.Match{}, fmt.Errorf("match %s: %w", d.ID, err)
	}
	return domain.Match{ID: d.ID, RoundID: d.RoundID, ApplicantID: d.ApplicantID, ProgramID: d.ProgramID,
		HostID: d.HostID, Status: d.Status, Choice: d.Choice, Score: d.Score, Reasons: reasons, Note: d.Note,
		RespondBy: timeOf(d.RespondBy), RemindedAt: timeOf(d.RemindedAt), DecidedBy: d.DecidedBy, DecidedAt: timeOf(d.DecidedAt), CreatedAt: d.CreatedAt.UTC(),
		UpdatedAt: d.UpdatedAt.UTC(), Version: d.Version}, nil
}

// roundApplicantDoc is one participant of a round; id "<round>:<applicant>".
// Its choices and reasons are stored packed, as one JSON value in Detail
// (see packed); entries stored before that keep them in Choices and
// Reasons.
type roundApplicantDoc struct {
	ID          string           `bson:"_id"`
	RoundID     string           `bson:"roundId"`
	ApplicantID string           `bson:"applicantId"`
	HomeCountry string           `bson:"homeCountry"`
	Kind        string           `bson:"kind"`
	DegreeLevel string           `bson:"degreeLevel"`
	Gender      string           `bson:"gender,omitempty"`
	Choices     []string         `bson:"choices,omitempty"`
	ProgramID   string           `bson:"programId,omitempty"`
	Outcome     string           `bson:"outcome"`
	Reasons     []explain.Reason `bson:"reasons,omitempty"`
	Detail      []byte           `bson:"detail,omitempty"`
	Run         int              `bson:"run"`
	UpdatedAt   time.Time        `bson:"updatedAt"`
}

// participantDetail is what a participant's Detail packs.
type participantDetail struct {
	Choices []string         `json:"c,omitempty"`
	Reasons []explain.Reason `json:"r,omitempty"`
}

func roundApplicantDocOf(e domain.RoundApplicant) roundApplicantDoc {
	return roundApplicantDoc{ID: e.RoundID + ":" + e.ApplicantID, RoundID: e.RoundID, ApplicantID: e.ApplicantID,
		HomeCountry: e.HomeCountry, Kind: e.Kind, DegreeLevel: e.DegreeLevel, Gender: e.Gender,
		ProgramID: e.ProgramID, Outcome: e.Outcome, Detail: pack(participantDetail{Choices: e.Choices, Reasons: e.Reasons}),
		Run: e.Run, UpdatedAt: e.UpdatedAt}
}

func (d roundApplicantDoc) entry() (domain.RoundApplicant, error) {
	det := participantDetail{Choices: d.Choices, Reasons: d.Reasons}
	if err := unpack(d.Detail, &det); err != nil {
		return domain.RoundApplicant{}, fmt.Errorf("participant %s: %w", d.ID, err)
	}
	return domain.RoundApplicant{RoundID: d.RoundID, ApplicantID: d.ApplicantID, HomeCountry: d.HomeCountry,
		Kind: d.Kind, DegreeLevel: d.DegreeLevel, Gender: d.Gender, Choices: det.Choices, ProgramID: d.ProgramID,
		Outcome: d.Outcome, Reasons: det.Reasons, Run: d.Run, UpdatedAt: d.UpdatedAt.UTC()}, nil
}

// pack stores v as one JSON value. FerretDB v1 encodes and decodes every
// field of a document one by one, and a run's participants and matches
// each carry a list of reasons with parameters: packed, 2,000 participants
// were inserted in 246 ms instead of 533 ms (BenchmarkPackedParticipants).
// Nothing queries inside a packed value.
func pack(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Strings, slices and maps of strings always marshal.
		panic(fmt.Sprintf("mongostore: pack %T: %v", v, err))
	}
	return b
}

// unpack decodes a packed value into v; an empty one leaves v as it is.
func unpack(b []byte, v any) error {
	if len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, v)
}

// roundParticipantsDoc names the applicants a round has entries for
// (round_participants, id = round id), so a run learns which entries its
// predecessor left without reading them all (FerretDB v1 reads every
// entry of every round to answer {roundId}).
type roundParticipantsDoc struct {
	ID  string   `bson:"_id"`
	IDs []string `bson:"ids"`
}

// leaseDoc is a program held by a run; id = program id. With Holder set,
// the run's lease_holders document says whether the hold is live, and
// ExpiresAt is only when it was taken plus the TTL; without it (written
// before holders existed) ExpiresAt is the lease's own expiry.
type leaseDoc struct {
	ID        string    `bson:"_id"`
	Owner     string    `bson:"owner"`
	RoundID   string    `bson:"roundId"`
	ExpiresAt time.Time `bson:"expiresAt"`
	Holder    bool      `bson:"holder,omitempty"`
}

// leaseHolderDoc is a run holding programs; id = the run id (the leases'
// owner). A run renews this one document, however many programs it holds.
// Lost is set by the run that took a program over after it expired.
type leaseHolderDoc struct {
	ID        string    `bson:"_id"`
	RoundID   string    `bson:"roundId"`
	ExpiresAt time.Time `bson:"expiresAt"`
	Lost      bool      `bson:"lost,omitempty"`
}

// runDoc records one run.
type runDoc struct {
	ID         string     `bson:"_id"`
	RoundID    string     `bson:"roundId"`
	ProgramIDs []string   `bson:"programIds"`
	Instance   string     `bson:"instance,omitempty"`
	StartedAt  time.Time  `bson:"startedAt"`
	FinishedAt *time.Time `bson:"finishedAt,omitempty"`
	Outcome    string     `bson:"outcome,omitempty"`
}

// auditDoc is one audit entry.
type auditDoc struct {
	ID         string    `bson:"_id"`
	At         time.Time `bson:"at"`
	ActorID    string    `bson:"actorId"`
	ActorRole  string    `bson:"actorRole,omitempty"`
	Action     string    `bson:"action"`
	EntityType string    `bson:"entityType"`
	EntityID   string    `bson:"entityId"`
	RoundID    string    `bson:"roundId,omitempty"`
	Note       string    `bson:"note,omitempty"`
}
