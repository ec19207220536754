package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/talentbridge/platform/services/matching/internal/allocation"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// A run of a round takes three steps over a run value: load reads what
// the run needs, allocate decides who goes where, save stores the result.
// execute holds the round's programs (leaseHold) around them.

// cleanupTimeout bounds the bookkeeping after a run, which gets a context
// of its own: it must happen even when the service is stopping.
const cleanupTimeout = 10 * time.Second

// run is one run of a round: who started it, what it loaded, what it
// decided.
type run struct {
	round *domain.Round // running under id; save turns it into the completed round
	id    string        // the run's id, the owner of its leases
	by    Caller

	// Loaded.
	in       allocation.Input
	matches  []domain.Match            // the round's matches before the run
	fixed    map[string]domain.Match   // the matches the run keeps, by applicant
	profiles map[string]domain.Profile // the participants' profiles
	programs map[string]domain.Program // the round's programs

	// Decided.
	res *allocation.Result

	// steps records how long each step took, for the log.
	steps stepTimer
}

// stepTimer notes the time each named step of a run took, so an operator
// can see where a large round's minutes go (the "round run steps" log
// line, docs/OPERATIONS.md).
type stepTimer struct {
	mu    sync.Mutex // timed steps run side by side
	last  time.Time
	attrs []any
}

// timed runs f in g and notes how long it took as name_ms: for steps that
// run side by side, whose time step cannot tell apart.
func (t *stepTimer) timed(g *errgroup.Group, name string, f func() error) {
	g.Go(func() error {
		began := time.Now()
		err := f()
		t.mu.Lock()
		t.attrs = append(t.attrs, name+"_ms", time.Since(began).Milliseconds())
		t.mu.Unlock()
		return err
	})
}

// step ends the step called name, which began at the previous step's end
// (or at the first call).
func (t *stepTimer) step(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if !t.last.IsZero() {
		t.attrs = append(t.attrs, name+"_ms", now.Sub(t.last).Milliseconds())
	}
	t.last = now
}

// execute runs a round that StartRun began, holding its programs until the
// result is stored or the run fails, and records how it ended.
func (s *Service) execute(ctx context.Context, rn *run) {
	start := s.now()
	log := s.log.With("round_id", rn.round.ID, "run_id", rn.id)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	h := s.hold(rn.round, rn.id, log)
	runCtx, release := h.Hold(ctx)

	rn.steps.step("")
	err := s.perform(runCtx, rn, h)
	var ev events.Envelope
	if err == nil {
		ev, err = s.save(runCtx, rn)
	}
	// The programs go back just before the round shows completed, so
	// whoever sees it completed can run the next round on them at once.
	release()
	if err == nil {
		err = s.complete(runCtx, rn, ev)
	}

	bg, done := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer done()
	outcome := "completed"
	if err != nil {
		outcome = "failed"
		log.Error("round run failed", "err", err)
		if ferr := s.store.FailRun(bg, rn.round.ID, rn.id, failMessage(err)); ferr != nil {
			log.Warn("record failed run", "err", ferr)
		}
		s.audit(bg, domain.AuditEntry{ActorID: rn.by.ID, ActorRole: rn.by.Role, Action: "round.run.failed",
			EntityType: domain.EntityRound, EntityID: rn.round.ID, RoundID: rn.round.ID, Note: failMessage(err)})
	}
	if ferr := s.store.FinishRunRecord(bg, rn.id, h.ReleasedAt(), outcome); ferr != nil {
		log.Warn("record run end", "err", ferr)
	}
	rn.steps.step("finish")
	log.Info("round run steps", append([]any{"outcome", outcome, "applicants", len(rn.in.Applicants),
		"programs", len(rn.in.Programs)}, rn.steps.attrs...)...)
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

// perform loads and allocates, reporting each phase, and makes sure the
// run still holds its programs before it saves.
func (s *Service) perform(ctx context.Context, rn *run, h *leaseHold) error {
	if err := h.Phase(ctx, domain.PhaseLoading, 5); err != nil {
		return err
	}
	if err := s.load(ctx, rn); err != nil {
		return err
	}
	if err := s.allocate(ctx, rn, h); err != nil {
		return err
	}
	if err := h.Phase(ctx, domain.PhaseSaving, 85); err != nil {
		return err
	}
	return h.Renew(ctx)
}

// load reads what the run needs: the round's programs and matches, the
// participants (applicants to its programs and those with a match the run
// keeps), their profiles, applications and rank lists, and the hosts'
// rankings; and builds the allocation input.
func (s *Service) load(ctx context.Context, rn *run) error {
	r := rn.round
	// Four reads that need nothing from each other go side by side: on
	// the embedded store each is one cursor decoding documents on one
	// core, and a national round's take tens of seconds each.
	var (
		progs        map[string]domain.Program
		matches      []domain.Match
		around       []domain.Application
		hostRankings map[string][]string
	)
	// A wide round (a national one) takes in most of the platform's
	// applicants: every profile and rank list is read beside the
	// applications, on the core those leave idle, rather than the
	// participants' after them. On the embedded store a read by more than
	// a few hundred ids reads the whole collection anyway.
	wide := len(r.ProgramIDs) > wideRoundPrograms
	var (
		profiles      map[string]domain.Profile
		rankingsOfAll map[string][]string
	)
	g, gctx := errgroup.WithContext(ctx)
	if wide {
		rn.steps.timed(g, "load_profiles", func() (err error) {
			profiles, err = s.store.EveryProfile(gctx)
			return err
		})
		rn.steps.timed(g, "load_rank_lists", func() (err error) {
			rankingsOfAll, err = s.store.EveryRanking(gctx)
			return err
		})
	}
	rn.steps.timed(g, "load_programs", func() (err error) {
		progs, err = s.store.Programs(gctx, r.ProgramIDs)
		return err
	})
	rn.steps.timed(g, "load_matches", func() (err error) {
		if r.NoMatches {
			return nil
		}
		matches, err = s.store.MatchesOfRound(gctx, r.ID)
		return err
	})
	// Every live application of everyone who applied to the round's
	// programs, in one read: those to the round decide who takes part,
	// the others are what the participants applied to besides.
	rn.steps.timed(g, "load_applications", func() (err error) {
		around, err = s.store.LiveApplicationsAround(gctx, r.ProgramIDs)
		return err
	})
	rn.steps.timed(g, "load_host_rankings", func() (err error) {
		hostRankings, err = s.store.ProgramRankings(gctx, r.ProgramIDs)
		return err
	})
	if err := g.Wait(); err != nil {
		return err
	}
	rn.steps.step("load_first")
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
		case m.Status == domain.MatchExpired:
			exclude(m.ApplicantID, m.ProgramID, domain.OutcomeExpired)
		}
	}
	admitted, err := s.vacancyAdmitted(ctx, r, exclude)
	if err != nil {
		return err
	}
	inRound := map[string]bool{}
	for _, id := range r.ProgramIDs {
		inRound[id] = true
	}
	ids := map[string]bool{}
	for _, a := range around {
		if inRound[a.ProgramID] && (admitted == nil || admitted[a.ApplicantID]) {
			ids[a.ApplicantID] = true
		}
	}
	for a := range fixed {
		ids[a] = true
	}
	all := slices.Sorted(maps.Keys(ids))
	if wide {
		maps.DeleteFunc(profiles, func(id string, _ domain.Profile) bool { return !ids[id] })
	} else {
		// The profiles and rank lists of everyone who may take part, side
		// by side; the rank lists of those without a profile are read and
		// left.
		g, gctx = errgroup.WithContext(ctx)
		rn.steps.timed(g, "load_profiles", func() (err error) {
			profiles, err = s.store.Profiles(gctx, all)
			return err
		})
		rn.steps.timed(g, "load_rank_lists", func() (err error) {
			rankingsOfAll, err = s.store.Rankings(gctx, all)
			return err
		})
		if err := g.Wait(); err != nil {
			return err
		}
		rn.steps.step("load_participants")
	}
	var market []string
	for _, id := range all {
		if _, ok := profiles[id]; ok {
			if _, isFixed := fixed[id]; !isFixed {
				market = append(market, id)
			}
		}
	}
	if len(market) > domain.MaxRoundApplicants {
		return fmt.Errorf("round %s has %d applicants, more than a run takes (%d)", r.ID, len(market), domain.MaxRoundApplicants)
	}
	inMarket := make(map[string]bool, len(market))
	for _, id := range market {
		inMarket[id] = true
	}
	var apps []domain.Application
	for _, a := range around {
		if inMarket[a.ApplicantID] {
			apps = append(apps, a)
		}
	}
	rankings := make(map[string][]string, len(market))
	for _, id := range market {
		if l, ok := rankingsOfAll[id]; ok {
			rankings[id] = l
		}
	}
	applied := map[string][]string{}
	var otherIDs []string
	for _, a := range apps {
		applied[a.ApplicantID] = append(applied[a.ApplicantID], a.ProgramID)
		if !inRound[a.ProgramID] {
			otherIDs = append(otherIDs, a.ProgramID)
		}
	}
	others, err := s.store.Programs(ctx, otherIDs)
	if err != nil {
		return err
	}
	in := allocation.Input{Seed: uint64(r.Seed), Others: others, Policy: r.Policy, Now: s.now()}
	for _, id := range r.ProgramIDs {
		p, ok := progs[id]
		if !ok {
			p = domain.Program{ID: id, Title: id}
		}
		p.Seats = r.SeatsOf(id, p.Seats)
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
	rn.in, rn.matches, rn.fixed, rn.profiles, rn.programs = in, matches, fixed, profiles, progs
	rn.steps.step("load_rest")
	return nil
}

// wideRoundPrograms is the number of programs beyond which a run reads
// every profile and rank list beside the applications (see load).
const wideRoundPrograms = 256

// allocate decides the run's proposals and every participant's outcome,
// recording the allocation's phases on the round.
func (s *Service) allocate(ctx context.Context, rn *run, h *leaseHold) error {
	var phaseErr error
	in := rn.in
	in.Progress = func(p string, pct int) {
		if phaseErr == nil {
			phaseErr = h.Phase(ctx, p, pct)
		}
	}
	res, err := allocation.Allocate(in)
	if err != nil {
		return err
	}
	if phaseErr != nil {
		return phaseErr
	}
	rn.res = res
	rn.steps.step("allocate")
	return nil
}

// save stores the run's result but for the round itself: the
// participants' outcomes, then the new proposed matches (with
// match.proposed events) and the removal of proposals the run replaced. It
// turns rn.round into the completed round and returns its round.completed
// event, for complete. Match and participant ids are derived from the
// round, so a run that failed halfway and is run again writes the same
// documents.
//
// The participants go first because the outbox relay starts on the
// matches' events as soon as they are stored, one "mark sent" write per
// match: written after the matches, a national round's participants waited
// behind those writes for the database's one writer (4,000 participants
// took 12.9 s, as long as the relay of 2,913 events, docs/BENCHMARKS.md).
func (s *Service) save(ctx context.Context, rn *run) (events.Envelope, error) {
	now := s.now()
	rn.steps.step("renew")
	kept, unmatched, err := s.saveParticipants(ctx, rn, now)
	if err != nil {
		return events.Envelope{}, err
	}
	rn.steps.step("save_participants")
	if err := s.saveMatches(ctx, rn, now); err != nil {
		return events.Envelope{}, err
	}
	rn.steps.step("save_matches")

	r, in, res := rn.round, rn.in, rn.res
	seats := map[string]int{}
	stats := domain.RunStats{Applicants: kept, Programs: len(r.ProgramIDs), Proposed: len(res.Proposals),
		Fixed: len(rn.fixed), Unmatched: unmatched}
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
	r.PolicyUse = res.PolicyUse
	r.Runs++
	r.CompletedAt = now
	r.Duration = now.Sub(r.StartedAt)
	r.LastError = ""
	r.Version++
	return s.event(ctx, events.RoundCompleted, r.ID, r.Version, matchingev.RoundCompleted{
		RoundID: r.ID, Name: r.Name, ProgramIDs: r.ProgramIDs, Seed: r.Seed, Proposed: stats.Proposed,
		Fixed: stats.Fixed, Unmatched: unmatched, BlockingPairs: r.BlockingPairs, Run: r.Runs,
		ActorID: rn.by.ID, CompletedAt: now,
	})
}

// saveMatches stores the run's proposals, an event for each new one, and
// deletes the proposals of earlier runs it did not make again.
func (s *Service) saveMatches(ctx context.Context, rn *run, now time.Time) error {
	r := rn.round
	proposed := map[string]bool{}
	for _, m := range rn.matches {
		if m.Status == domain.MatchProposed {
			proposed[m.ID] = true
		}
	}
	kept := map[string]bool{}
	ms := make([]domain.Match, 0, len(rn.res.Proposals))
	evs := make([][]events.Envelope, 0, len(rn.res.Proposals))
	for _, p := range rn.res.Proposals {
		m := domain.Match{ID: domain.MatchID(r.ID, p.ApplicantID, p.ProgramID), RoundID: r.ID,
			ApplicantID: p.ApplicantID, ProgramID: p.ProgramID, HostID: rn.programs[p.ProgramID].HostID,
			Status: domain.MatchProposed, Choice: p.Choice, Score: p.Score, Reasons: p.Reasons,
			CreatedAt: now, UpdatedAt: now, Version: 1}
		kept[m.ID] = true
		var mevs []events.Envelope
		if !proposed[m.ID] {
			ev, err := s.event(ctx, events.MatchProposed, m.ID, m.Version, s.matchPayload(&m, rn.by, now))
			if err != nil {
				return err
			}
			mevs = []events.Envelope{ev}
		}
		ms = append(ms, m)
		evs = append(evs, mevs)
	}
	if r.NoMatches && len(ms) > 0 {
		if err := s.store.MatchesBegin(ctx, r.ID); err != nil {
			return err
		}
		r.NoMatches = false
	}
	// One bulk write per thousand matches: a national round proposes tens
	// of thousands.
	if err := s.store.SaveProposed(ctx, ms, evs); err != nil {
		return err
	}
	var stale []string
	for id := range proposed {
		if !kept[id] {
			stale = append(stale, id)
		}
	}
	return s.store.DeleteProposed(ctx, stale)
}

// saveParticipants stores what every participant of the run got and why,
// and forgets those of earlier runs who no longer take part. It returns
// how many take part and how many of them the run left unmatched.
func (s *Service) saveParticipants(ctx context.Context, rn *run, now time.Time) (participants, unmatched int, err error) {
	r := rn.round
	prior, err := s.store.RoundApplicantIDs(ctx, r.ID)
	if err != nil {
		return 0, 0, err
	}
	priorBy := make(map[string]bool, len(prior))
	for _, a := range prior {
		priorBy[a] = true
	}
	var entries []domain.RoundApplicant
	var keep []string
	for _, o := range rn.res.Outcomes {
		p := rn.profiles[o.ApplicantID]
		entries = append(entries, domain.RoundApplicant{RoundID: r.ID, ApplicantID: o.ApplicantID,
			HomeCountry: p.HomeCountry, Kind: p.Kind, DegreeLevel: p.DegreeLevel, Gender: p.Gender,
			Choices: o.Choices, ProgramID: o.ProgramID, Outcome: o.Outcome, Reasons: o.Reasons,
			Run: r.Runs + 1, UpdatedAt: now})
		keep = append(keep, o.ApplicantID)
		if o.ProgramID == "" {
			unmatched++
		}
	}
	for id, m := range rn.fixed {
		p, ok := rn.profiles[id]
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
	if err := s.store.SaveRoundApplicants(ctx, r.ID, entries, prior, keep); err != nil {
		return 0, 0, err
	}
	return len(keep), unmatched, nil
}

// complete marks the round completed with its round.completed event, ev,
// and writes the run's audit entry under the event's id. This is the only
// writer of that entry: the audit consumer leaves round.completed alone.
func (s *Service) complete(ctx context.Context, rn *run, ev events.Envelope) error {
	r := rn.round
	ok, err := s.store.CompleteRun(ctx, r, rn.id, []events.Envelope{ev})
	if err != nil {
		return err
	}
	if !ok {
		return errLeaseLost
	}
	s.audit(ctx, domain.AuditEntry{ID: ev.ID, At: r.CompletedAt, ActorID: rn.by.ID, ActorRole: rn.by.Role, Action: "round.completed",
		EntityType: domain.EntityRound, EntityID: r.ID, RoundID: r.ID,
		Note: fmt.Sprintf("run %d: %d proposed, %d kept, %d unmatched, %d blocking pairs",
			r.Runs, r.Stats.Proposed, r.Stats.Fixed, r.Stats.Unmatched, r.BlockingPairs)})
	return nil
}
