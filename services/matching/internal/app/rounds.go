package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/allocation"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
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
	Undecided  int
	Unmatched  int
}

// CreateRound records a round over programs of the read model. Without a
// seed, one is drawn and recorded, so every run of the round can be
// reproduced.
func (s *Service) CreateRound(ctx context.Context, c Caller, name string, programIDs []string, seed *int64) (*RoundView, error) {
	sd := rand.Int64N(domain.MaxSeed + 1)
	if seed != nil {
		sd = *seed
	}
	now := s.now()
	r, err := domain.NewRound(newID(), name, programIDs, sd, c.ID, now)
	if err != nil {
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
			bad = append(bad, domain.FieldError{Field: fmt.Sprintf("programIds[%d]", i), Reason: "is not a published program"})
		case !p.Allocatable():
			bad = append(bad, domain.FieldError{Field: fmt.Sprintf("programIds[%d]", i), Reason: "was closed by its host or a coordinator"})
		}
	}
	if len(bad) > 0 {
		return nil, &domain.RuleError{Code: "invalid_programs", Detail: bad[0].Field + " " + bad[0].Reason, Fields: bad}
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
	ms, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return nil, err
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

// errLeaseLost ends a run whose round or programs another run took over.
var errLeaseLost = errors.New("the run lost its lease")

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
	held, err := s.store.Acquire(ctx, r.ProgramIDs, runID, r.ID, now, s.leaseTTL)
	if err != nil {
		return nil, err
	}
	if held != nil {
		return nil, domain.Conflict("program_busy",
			"program %s is being allocated by a run of round %s; try again when it has finished", held.ProgramID, held.RoundID)
	}
	ok, err := s.store.BeginRun(ctx, r.ID, runID, now, now.Add(s.leaseTTL))
	if err == nil && !ok {
		err = domain.Conflict("round_running", "the round is already running")
	}
	if err != nil {
		if rerr := s.store.Release(context.WithoutCancel(ctx), r.ProgramIDs, runID); rerr != nil {
			s.log.Warn("release leases", "err", rerr, "round_id", r.ID)
		}
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
	run := *r
	run.Status, run.RunID, run.StartedAt, run.PrevStatus = domain.RoundRunning, runID, now, r.Status
	s.goFn(func(ctx context.Context) { s.execute(ctx, &run, c) })
	r, err = s.store.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, r)
}

// execute runs a round that StartRun began, renewing its leases until it
// ends, and releases them.
func (s *Service) execute(ctx context.Context, r *domain.Round, c Caller) {
	start := s.now()
	roundID, runID := r.ID, r.RunID
	log := s.log.With("round_id", roundID, "run_id", runID)
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()

	var (
		phaseMu  sync.Mutex
		phase    = domain.PhaseQueued
		progress = 0
	)
	setPhase := func(p string, pct int) error {
		phaseMu.Lock()
		phase, progress = p, pct
		phaseMu.Unlock()
		ok, err := s.store.Progress(runCtx, roundID, runID, p, pct, s.now().Add(s.leaseTTL))
		if err != nil {
			return err
		}
		if !ok {
			return errLeaseLost
		}
		if s.phasePause > 0 {
			select {
			case <-runCtx.Done():
				return runCtx.Err()
			case <-time.After(s.phasePause):
			}
		}
		return nil
	}

	// The renewer keeps the leases and the round's run alive; losing
	// either stops the run.
	renewCtx, stopRenew := context.WithCancel(runCtx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		t := time.NewTicker(s.leaseTTL / 3)
		defer t.Stop()
		for {
			select {
			case <-renewCtx.Done():
				return
			case <-t.C:
			}
			now := s.now()
			ok, err := s.store.Renew(renewCtx, r.ProgramIDs, runID, now, s.leaseTTL)
			if err == nil && ok {
				phaseMu.Lock()
				p, pct := phase, progress
				phaseMu.Unlock()
				ok, err = s.store.Progress(renewCtx, roundID, runID, p, pct, now.Add(s.leaseTTL))
			}
			if err == nil && !ok {
				log.Error("round run lost its lease; stopping")
				stopRun()
				return
			}
			if err != nil && renewCtx.Err() == nil {
				log.Warn("renew round leases", "err", err)
			}
		}
	}()
	// Bookkeeping after the run must happen even when ctx has ended (the
	// service is stopping): it gets a context of its own.
	cleanup := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	}
	// release gives the programs back: just before the round is marked
	// completed (so whoever sees it completed can run the next round on
	// them at once), or when the run ends otherwise.
	var releasedAt time.Time
	release := sync.OnceFunc(func() {
		stopRenew()
		<-renewed
		releasedAt = s.now()
		cctx, cancel := cleanup()
		defer cancel()
		if rerr := s.store.Release(cctx, r.ProgramIDs, runID); rerr != nil {
			log.Warn("release leases", "err", rerr)
		}
	})

	err := s.runRound(runCtx, r, runID, c, setPhase, release)
	stopRun()
	release()
	bg, done := cleanup()
	defer done()
	outcome := "completed"
	if err != nil {
		outcome = "failed"
		log.Error("round run failed", "err", err)
		if ferr := s.store.FailRun(bg, roundID, runID, failMessage(err)); ferr != nil {
			log.Warn("record failed run", "err", ferr)
		}
		s.audit(bg, domain.AuditEntry{ActorID: c.ID, ActorRole: c.Role, Action: "round.run.failed",
			EntityType: domain.EntityRound, EntityID: roundID, RoundID: roundID, Note: failMessage(err)})
	}
	if ferr := s.store.FinishRunRecord(bg, runID, releasedAt, outcome); ferr != nil {
		log.Warn("record run end", "err", ferr)
	}
	s.onRun(s.now().Sub(start), outcome)
}

// failMessage is what a failed run records: no internals beyond the kind of
// failure.
func failMessage(err error) string {
	switch {
	case errors.Is(err, errLeaseLost):
		return "the run lost its lease to another run"
	case errors.Is(err, context.Canceled):
		return "the run was stopped (lease lost or service shutting down)"
	}
	return "the run failed; see the service log"
}

// runRound loads the round's data, allocates and stores the result.
func (s *Service) runRound(ctx context.Context, r *domain.Round, runID string, c Caller, setPhase func(string, int) error, release func()) error {
	if err := setPhase(domain.PhaseLoading, 5); err != nil {
		return err
	}
	in, fixed, profiles, progs, err := s.loadRun(ctx, r)
	if err != nil {
		return err
	}
	var phaseErr error
	in.Progress = func(p string, pct int) {
		if phaseErr == nil {
			phaseErr = setPhase(p, pct)
		}
	}
	res, err := allocation.Allocate(*in)
	if err != nil {
		return err
	}
	if phaseErr != nil {
		return phaseErr
	}
	if err := setPhase(domain.PhaseSaving, 85); err != nil {
		return err
	}
	now := s.now()
	if ok, err := s.store.Renew(ctx, r.ProgramIDs, runID, now, s.leaseTTL); err != nil || !ok {
		return cmpErr(err, errLeaseLost)
	}
	return s.saveRun(ctx, r, runID, c, in, res, fixed, profiles, progs, release)
}

func cmpErr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}

// loadRun reads what a run needs and builds the allocation input. It also
// returns the fixed matches by applicant, the participants' profiles and the
// round's programs.
func (s *Service) loadRun(ctx context.Context, r *domain.Round) (*allocation.Input, map[string]domain.Match, map[string]domain.Profile, map[string]domain.Program, error) {
	progs, err := s.store.Programs(ctx, r.ProgramIDs)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	matches, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	fixed := map[string]domain.Match{}
	fixedSeats := map[string]int{}
	excluded := map[string]map[string]string{}
	exclude := func(a, p, why string) {
		if excluded[a] == nil {
			excluded[a] = map[string]string{}
		}
		excluded[a][p] = why
	}
	for _, m := range matches {
		switch {
		case m.Fixed():
			fixed[m.ApplicantID] = m
			fixedSeats[m.ProgramID]++
		case m.Status == domain.MatchRejected:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeRejected)
		case m.Status == domain.MatchDeclined:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeDeclined)
		}
	}
	toRound, err := s.store.LiveApplicationsTo(ctx, r.ProgramIDs)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	ids := map[string]bool{}
	for _, a := range toRound {
		ids[a.ApplicantID] = true
	}
	for a := range fixed {
		ids[a] = true
	}
	all := slices.Sorted(maps.Keys(ids))
	profiles, err := s.store.Profiles(ctx, all)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var market []string
	for _, id := range all {
		if _, ok := profiles[id]; ok {
			if _, isFixed := fixed[id]; !isFixed {
				market = append(market, id)
			}
		}
	}
	apps, err := s.store.LiveApplicationsOf(ctx, market)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	rankings, err := s.store.Rankings(ctx, market)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	hostRankings, err := s.store.ProgramRankings(ctx, r.ProgramIDs)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	applied := map[string][]string{}
	var otherIDs []string
	inRound := map[string]bool{}
	for _, id := range r.ProgramIDs {
		inRound[id] = true
	}
	for _, a := range apps {
		applied[a.ApplicantID] = append(applied[a.ApplicantID], a.ProgramID)
		if !inRound[a.ProgramID] {
			otherIDs = append(otherIDs, a.ProgramID)
		}
	}
	others, err := s.store.Programs(ctx, otherIDs)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	in := &allocation.Input{Seed: uint64(r.Seed), Others: others, Now: s.now()}
	for _, id := range r.ProgramIDs {
		p, ok := progs[id]
		if !ok {
			p = domain.Program{ID: id, Title: id}
		}
		seats := p.Seats
		if !p.Allocatable() {
			seats = 0
		}
		in.Programs = append(in.Programs, allocation.Program{Program: p,
			Capacity: max(0, seats-fixedSeats[id]), HostRanking: hostRankings[id]})
	}
	for _, id := range market {
		in.Applicants = append(in.Applicants, allocation.Applicant{Profile: profiles[id],
			Ranked: rankings[id], Applied: applied[id], Excluded: excluded[id]})
	}
	return in, fixed, profiles, progs, nil
}

// saveRun stores a run's result: new proposed matches (with match.proposed
// events), the removal of proposals the run replaced, the participants'
// outcomes and the completed round (with round.completed), in that order.
// Match and participant ids are derived from the round, so a run that
// failed halfway and is run again writes the same documents.
func (s *Service) saveRun(ctx context.Context, r *domain.Round, runID string, c Caller, in *allocation.Input, res *allocation.Result,
	fixed map[string]domain.Match, profiles map[string]domain.Profile, progs map[string]domain.Program, release func()) error {
	now := s.now()
	existing, err := s.store.MatchesOfRound(ctx, r.ID)
	if err != nil {
		return err
	}
	proposed := map[string]bool{}
	for _, m := range existing {
		if m.Status == domain.MatchProposed {
			proposed[m.ID] = true
		}
	}
	kept := map[string]bool{}
	for _, p := range res.Proposals {
		m := &domain.Match{ID: domain.MatchID(r.ID, p.ApplicantID, p.ProgramID), RoundID: r.ID,
			ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: progs[p.ProgramID].HostID,
			Status: domain.MatchProposed, Choice: p.Choice, Score: p.Score, Reasons: p.Reasons,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		kept[m.ID] = true
		var evs []events.Envelope
		if !proposed[m.ID] {
			ev, err := s.event(ctx, events.MatchProposed, m.ID, m.Version, s.matchPayload(m, c, now))
			if err != nil {
				return err
			}
			evs = append(evs, ev)
		}
		if err := s.store.SaveProposed(ctx, m, evs); err != nil {
			return err
		}
	}
	var stale []string
	for id := range proposed {
		if !kept[id] {
			stale = append(stale, id)
		}
	}
	if err := s.store.DeleteProposed(ctx, stale); err != nil {
		return err
	}

	prior, err := s.store.RoundApplicants(ctx, r.ID)
	if err != nil {
		return err
	}
	priorBy := map[string]bool{}
	for _, e := range prior {
		priorBy[e.ApplicantID] = true
	}
	var entries []domain.RoundApplicant
	var keep []string
	unmatched := 0
	for _, o := range res.Outcomes {
		p := profiles[o.ApplicantID]
		entries = append(entries, domain.RoundApplicant{RoundID: r.ID, ApplicantID: o.ApplicantID,
			HomeCountry: p.HomeCountry, Kind: p.Kind, DegreeLevel: p.DegreeLevel, Gender: p.Gender,
			Choices: o.Choices, ProgramID: o.ProgramID, Outcome: o.Outcome, Reasons: o.Reasons,
			Run: r.Runs + 1, UpdatedAt: now})
		keep = append(keep, o.ApplicantID)
		if o.ProgramID == "" {
			unmatched++
		}
	}
	for id, m := range fixed {
		p, ok := profiles[id]
		if !ok {
			continue
		}
		keep = append(keep, id)
		if priorBy[id] {
			continue // their entry from the run that matched them stands
		}
		entries = append(entries, domain.RoundApplicant{RoundID: r.ID, ApplicantID: id,
			HomeCountry: p.HomeCountry, Kind: p.Kind, DegreeLevel: p.DegreeLevel, Gender: p.Gender,
			Choices: []string{m.ProgramID}, ProgramID: m.ProgramID, Outcome: domain.OutcomeFixed,
			Run: r.Runs + 1, UpdatedAt: now})
	}
	if err := s.store.SaveRoundApplicants(ctx, entries); err != nil {
		return err
	}
	if err := s.store.KeepRoundApplicants(ctx, r.ID, keep); err != nil {
		return err
	}

	seats := map[string]int{}
	stats := domain.RunStats{Applicants: len(keep), Programs: len(r.ProgramIDs), Proposed: len(res.Proposals),
		Fixed: len(fixed), Unmatched: unmatched}
	for _, p := range in.Programs {
		n := p.Seats
		if !p.Allocatable() {
			n = 0
		}
		seats[p.ID] = n
		stats.Seats += n
		stats.OpenSeats += p.Capacity
	}
	for _, a := range in.Applicants {
		stats.Excluded += len(a.Excluded)
	}
	r.Status, r.Phase, r.Progress = domain.RoundCompleted, domain.PhaseDone, 100
	r.BlockingPairs = res.Certificate.BlockingPairs
	r.OverCapacity, r.Unacceptable = res.Certificate.OverCapacity, res.Certificate.Unacceptable
	r.Stats, r.Seats = stats, seats
	r.Runs++
	r.CompletedAt = now
	r.Duration = now.Sub(r.StartedAt)
	r.LastError = ""
	r.Version++
	ev, err := s.event(ctx, events.RoundCompleted, r.ID, r.Version, matchingev.RoundCompleted{
		RoundID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Proposed: stats.Proposed,
		Fixed: stats.Fixed, Unmatched: unmatched, BlockingPairs: r.BlockingPairs, Run: r.Runs,
		ActorID: c.ID, CompletedAt: now,
	})
	if err != nil {
		return err
	}
	release()
	ok, err := s.store.CompleteRun(ctx, r, runID, []events.Envelope{ev})
	if err != nil {
		return err
	}
	if !ok {
		return errLeaseLost
	}
	s.audit(ctx, domain.AuditEntry{ID: ev.ID, At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.completed",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID,
		Note: fmt.Sprintf("run %d: %d proposed, %d kept, %d unmatched, %d blocking pairs", r.Runs, stats.Proposed, stats.Fixed, unmatched, r.BlockingPairs)})
	return nil
}

// matchPayload is the event payload of a match. It carries ids, not the
// match's reasons: those quote the applicant's profile (skills, language
// levels), and stream messages outlive an erasure, while the reasons stay
// in this service's database, where erasure removes them.
func (s *Service) matchPayload(m *domain.Match, c Caller, at time.Time) matchingev.MatchChanged {
	return matchingev.MatchChanged{MatchID: m.ID, RoundID: m.RoundID, ApplicantID: m.ApplicantID,
		ProgramID: m.ProgramID, HostID: m.HostID, Status: m.Status, ActorID: c.ID, ActorRole: c.Role,
		Choice: m.Choice, Note: m.Note, At: at}
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
// (match.published) once no match is undecided, and marks the round
// published. Publishing again after a re-run offers the newly approved
// matches.
func (s *Service) Publish(ctx context.Context, c Caller, roundID string) (*RoundView, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	now := s.now()
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
	published := 0
	for i := range ms {
		m := &ms[i]
		if m.Status != domain.MatchApproved {
			continue
		}
		if err := m.Publish(now); err != nil {
			return nil, err
		}
		ev, err := s.event(ctx, events.MatchPublished, m.ID, m.Version, s.matchPayload(m, c, now))
		if err != nil {
			return nil, err
		}
		ok, err := s.store.UpdateMatch(ctx, m, []events.Envelope{ev})
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errConflictRetry
		}
		published++
		s.audit(ctx, domain.AuditEntry{ID: ev.ID, At: now, ActorID: c.ID, ActorRole: c.Role, Action: "match.published",
			EntityType: domain.EntityMatch, EntityID: m.ID, RoundID: r.ID})
	}
	ok, err := s.store.MarkPublished(ctx, r.ID, now)
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
	return &rep, nil
}
