package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/fielderr"
)

// RoundView is a round with the counts of its matches as they stand.
type RoundView struct {
	domain.Round
	Counts  RoundCounts
	Stalled bool
}

// RoundCounts count a round's participants and matches by status.
// Undecided matches are those still proposed.
type RoundCounts struct {
	Applicants int
	Programs   int
	Seats      int
	Matches    int
	Proposed   int
	Approved   int
	Rejected   int
	Published  int
	Accepted   int
	Declined   int
	Expired    int
	Undecided  int
	Unmatched  int
}

// CreateRound records a round over programs of the read model. Without a
// seed, one is drawn and recorded, so every run of the round can be
// reproduced.
func (s *Service) CreateRound(ctx context.Context, c Caller, name string, programIDs []string, seed *int64, offerDays *int, policy *domain.Policy) (*RoundView, error) {
	sd := rand.Int64N(domain.MaxSeed + 1)
	if seed != nil {
		sd = *seed
	}
	now := s.now()
	r, err := domain.NewRound(newID(), name, programIDs, sd, c.ID, now)
	if err != nil {
		return nil, err
	}
	if r.OfferDays, err = domain.OfferDays(offerDays); err != nil {
		return nil, err
	}
	progs, err := s.store.Programs(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	var bad []domain.FieldError
	for i, id := range r.ProgramIDs {
		p, ok := progs[id]
		switch {
		case !ok:
			bad = append(bad, fielderr.NewNotAvailable(fmt.Sprintf("programIds[%d]", i)).Because("is not a published program"))
		case !p.Allocatable():
			bad = append(bad, fielderr.NewNotAvailable(fmt.Sprintf("programIds[%d]", i)).Because("was closed by its host or a coordinator"))
		}
	}
	if len(bad) > 0 {
		return nil, &domain.RuleError{Code: "invalid_programs", Detail: bad[0].Field + " " + bad[0].Reason, Fields: bad}
	}
	if policy != nil {
		seats := make(map[string]int, len(progs))
		for id, p := range progs {
			seats[id] = p.Seats
		}
		if bad := domain.CheckPolicy(policy, r.ProgramIDs, seats); len(bad) > 0 {
			return nil, &domain.RuleError{Code: "invalid_policy", Detail: bad[0].Field + " " + bad[0].Reason, Fields: bad}
		}
		r.Policy = policy.Normalize()
	}
	if err := s.store.InsertRound(ctx, r); err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.created",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID})
	return s.view(ctx, r)
}

// Round returns a round with its counts.
func (s *Service) Round(ctx context.Context, id string) (*RoundView, error) {
	r, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, r)
}

// Rounds returns a page of rounds, newest first.
func (s *Service) Rounds(ctx context.Context, page, size int) ([]RoundView, int64, error) {
	rs, total, err := s.store.Rounds(ctx, page, size)
	if err != nil {
		return nil, 0, err
	}
	out := make([]RoundView, len(rs))
	for i := range rs {
		v, err := s.view(ctx, &rs[i])
		if err != nil {
			return nil, 0, err
		}
		out[i] = *v
	}
	return out, total, nil
}

func (s *Service) view(ctx context.Context, r *domain.Round) (*RoundView, error) {
	// Counting needs the statuses alone: a national round has tens of
	// thousands of matches, each with its reasons.
	// While a run is rewriting the round's proposals their counts are in
	// flux, and a page or a script polling the round would read every
	// match once a second while the run itself writes them: they are
	// counted again once it has finished.
	var ms []domain.Match
	if !r.NoMatches && r.Status != domain.RoundRunning {
		var err error
		if ms, err = s.store.MatchStatesOfRound(ctx, r.ID); err != nil {
			return nil, err
		}
	}
	v := &RoundView{Round: *r, Stalled: r.Stalled(s.now())}
	v.Counts.Applicants = r.Stats.Applicants
	v.Counts.Programs = len(r.ProgramIDs)
	v.Counts.Seats = r.Stats.Seats
	live := map[string]bool{}
	for _, m := range ms {
		v.Counts.Matches++
		switch m.Status {
		case domain.MatchProposed:
			v.Counts.Proposed++
		case domain.MatchApproved:
			v.Counts.Approved++
		case domain.MatchRejected:
			v.Counts.Rejected++
		case domain.MatchPublished:
			v.Counts.Published++
		case domain.MatchAccepted:
			v.Counts.Accepted++
		case domain.MatchDeclined:
			v.Counts.Declined++
		case domain.MatchExpired:
			v.Counts.Expired++
		}
		if m.Live() {
			live[m.ApplicantID] = true
		}
	}
	v.Counts.Undecided = v.Counts.Proposed
	if r.Runs > 0 {
		v.Counts.Unmatched = max(0, r.Stats.Applicants-len(live))
	}
	return v, nil
}

// StartRun starts a run of the round in the background and returns at once
// with the round running. The run takes a lease on each of the round's
// programs first: while another run (of any round, on any replica) holds
// one of them, it is refused.
func (s *Service) StartRun(ctx context.Context, c Caller, id string) (*RoundView, error) {
	r, err := s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := r.CheckRun(now); err != nil {
		return nil, err
	}
	runID := newID()
	if err := s.take(ctx, r, runID, now); err != nil {
		return nil, err
	}
	// The run record spans the time the run held its programs: from after
	// the leases were taken to before they were given back.
	if err := s.store.StartRunRecord(ctx, RunRecord{ID: runID, RoundID: r.ID, ProgramIDs: r.ProgramIDs,
		Instance: s.instance, StartedAt: s.now()}); err != nil {
		s.log.Warn("record run", "err", err, "round_id", r.ID)
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.run.started",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID})
	started := *r
	started.Status, started.RunID, started.StartedAt, started.PrevStatus = domain.RoundRunning, runID, now, r.Status
	s.goFn(func(ctx context.Context) { s.execute(ctx, &run{round: &started, id: runID, by: c}) })
	r, err = s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, r)
}

// matchPayload is the event payload of a match. It carries ids, not the
// match's reasons: those quote the applicant's profile (skills, language
// levels), and stream messages outlive an erasure, while the reasons stay
// in this service's database, where erasure removes them.
func (s *Service) matchPayload(m *domain.Match, c Caller, at time.Time) matchingev.MatchChanged {
	p := matchingev.MatchChanged{MatchID: m.ID, RoundID: m.RoundID, ApplicantID: m.ApplicantID,
		ProgramID: m.ProgramID, HostID: m.HostID, Status: m.Status, ActorID: c.ID, ActorRole: c.Role,
		Choice: m.Choice, Note: m.Note, RespondBy: m.RespondBy, At: at}
	return p
}

// RoundMatches returns a round's matches, optionally of one status.
func (s *Service) RoundMatches(ctx context.Context, roundID, status string) ([]domain.Match, error) {
	if _, err := s.store.Round(ctx, roundID); err != nil {
		return nil, err
	}
	ms, err := s.store.MatchesOfRound(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if status == "" {
		return ms, nil
	}
	out := ms[:0]
	for _, m := range ms {
		if m.Status == status {
			out = append(out, m)
		}
	}
	return out, nil
}

// Explanations returns the participants of a round with what they got and
// why not the programs they ranked higher. Coordinators see everyone (or
// one applicant); an applicant sees only themselves, and only once the
// round is published.
func (s *Service) Explanations(ctx context.Context, c Caller, roundID, applicantID string) ([]domain.RoundApplicant, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	if !c.Coordinator() {
		if r.Status != domain.RoundPublished {
			return nil, domain.NotFound("round")
		}
		applicantID = c.ID
	}
	entries, err := s.store.RoundApplicants(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	if applicantID == "" {
		return entries, nil
	}
	out := []domain.RoundApplicant{}
	for _, e := range entries {
		if e.ApplicantID == applicantID {
			out = append(out, e)
		}
	}
	if len(out) == 0 && !c.Coordinator() {
		return nil, domain.NotFound("round")
	}
	return out, nil
}

// Publish turns every approved match of a round into an offer
// (match.published) to be answered by respondBy (nil: the round's offer
// days from now) once no match is undecided, and marks the round
// published. Publishing again after a re-run offers the newly approved
// matches.
func (s *Service) Publish(ctx context.Context, c Caller, roundID string, respondBy *time.Time) (*RoundView, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	deadline, err := r.RespondBy(now, respondBy)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Status == domain.RoundRunning:
		return nil, domain.Conflict("round_running", "the round is running; publish it when the run has completed")
	case r.Status == domain.RoundCreated:
		return nil, domain.Conflict("round_not_run", "the round has not run yet")
	case r.Status == domain.RoundPublished:
		return nil, domain.Conflict("round_published", "the round is published; run it again to fill freed seats, then publish")
	case r.Phase == domain.PhaseFailed:
		// A run that failed may have stored part of its result.
		return nil, domain.Conflict("round_run_failed", "the round's last run failed; run it again before publishing")
	}
	ms, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	undecided := 0
	for _, m := range ms {
		if m.Status == domain.MatchProposed {
			undecided++
		}
	}
	if undecided > 0 {
		return nil, domain.Conflict("matches_undecided", "%d %s undecided: approve or reject every proposed match first",
			undecided, pluralize(undecided, "match is", "matches are"))
	}
	var offers []domain.Match
	var evs [][]events.Envelope
	var audits []domain.AuditEntry
	for i := range ms {
		m := &ms[i]
		if m.Status != domain.MatchApproved {
			continue
		}
		if err := m.Publish(now, deadline); err != nil {
			return nil, err
		}
		ev, err := s.event(ctx, events.MatchPublished, m.ID, m.Version, s.matchPayload(m, c, now))
		if err != nil {
			return nil, err
		}
		offers = append(offers, *m)
		evs = append(evs, []events.Envelope{ev})
		audits = append(audits, domain.AuditEntry{ID: ev.ID, At: now, ActorID: c.ID, ActorRole: c.Role, Action: "match.published",
			EntityType: domain.EntityMatch, EntityID: m.ID, RoundID: r.ID})
	}
	// The offers go out in bulk writes, each carrying its match.published
	// event in its own document. Should one have changed meanwhile, the
	// round stays unpublished and publishing again offers the rest.
	published, err := s.store.UpdateMatches(ctx, offers, evs)
	if err != nil {
		return nil, err
	}
	s.audits(ctx, audits)
	if published < len(offers) {
		return nil, errConflictRetry
	}
	announce, err := s.publication(ctx, r, ms, c, now)
	if err != nil {
		return nil, err
	}
	ok, err := s.store.MarkPublished(ctx, r.ID, now, []events.Envelope{announce})
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Conflict("round_changed", "the round changed while it was being published; try again")
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.published",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID, Note: fmt.Sprintf("%d offers published", published)})
	return s.Round(ctx, r.ID)
}

// publication is the event that announces a round's publication: a
// round.completed with PublishedAt and the applicants of the round who
// hold no offer from it, so that each of them can be told (the gateway's
// notifications). ms are the round's matches after publishing.
func (s *Service) publication(ctx context.Context, r *domain.Round, ms []domain.Match, c Caller, now time.Time) (events.Envelope, error) {
	entries, err := s.store.RoundApplicants(ctx, r.ID)
	if err != nil {
		return events.Envelope{}, err
	}
	offered := map[string]bool{}
	for _, m := range ms {
		switch m.Status {
		case domain.MatchPublished, domain.MatchAccepted, domain.MatchDeclined:
			offered[m.ApplicantID] = true
		}
	}
	unmatched := []string{}
	for _, e := range entries {
		if !offered[e.ApplicantID] {
			offered[e.ApplicantID] = true // told once
			unmatched = append(unmatched, e.ApplicantID)
		}
	}
	return s.event(ctx, events.RoundCompleted, r.ID, r.Version+1, matchingev.RoundCompleted{
		RoundID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Proposed: r.Stats.Proposed,
		Fixed: r.Stats.Fixed, Unmatched: len(unmatched), BlockingPairs: r.BlockingPairs, Run: r.Runs,
		ActorID: c.ID, CompletedAt: r.CompletedAt, PublishedAt: now, UnmatchedApplicantIDs: unmatched,
	})
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Report computes a round's outcome report.
func (s *Service) Report(ctx context.Context, roundID string) (*domain.Report, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.RoundApplicants(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return nil, err
	}
	progs, err := s.store.Programs(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	titles := map[string]string{}
	seats := r.Seats
	if seats == nil {
		seats = map[string]int{}
	}
	for _, id := range r.ProgramIDs {
		titles[id] = progs[id].Title
		if _, ok := seats[id]; !ok {
			seats[id] = progs[id].Seats
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ApplicantID < entries[j].ApplicantID })
	rep := domain.BuildReport(r, seats, titles, entries, ms, s.now())
	if err := s.countPlacements(ctx, &rep, ms); err != nil {
		return nil, err
	}
	return &rep, nil
}
