package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/mongodb"
)

// errLeaseLost ends a run whose round or programs another run took over.
var errLeaseLost = errors.New("the run lost its lease")

// take gives run runID the leases of the round's programs and marks the
// round running under it, or neither: while another run (of any round, on
// any replica) holds one of the programs, or the round is already running,
// it returns a *domain.ConflictError.
func (s *Service) take(ctx context.Context, r *domain.Round, runID string, now time.Time) error {
	held, err := s.store.Acquire(ctx, r.ProgramIDs, runID, r.ID, now, s.leaseTTL)
	if err != nil {
		return err
	}
	if held != nil {
		return domain.Conflict("program_busy",
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
		return err
	}
	return nil
}

// leaseHold keeps what a run took with take: the leases of the round's
// programs and the round's run, both renewed every third of the lease TTL,
// together with the phase the run is in.
type leaseHold struct {
	store      Store
	roundID    string
	runID      string
	programIDs []string
	ttl        time.Duration
	pause      time.Duration
	now        func() time.Time
	log        *slog.Logger

	mu         sync.Mutex
	phase      string
	progress   int
	releasedAt time.Time
}

// hold returns the hold of run runID on round r, which take gave it.
func (s *Service) hold(r *domain.Round, runID string, log *slog.Logger) *leaseHold {
	return &leaseHold{store: s.store, roundID: r.ID, runID: runID, programIDs: r.ProgramIDs,
		ttl: s.leaseTTL, pause: s.phasePause, now: s.now, log: log, phase: domain.PhaseQueued}
}

// Hold renews the hold in the background until release is called. The
// context it returns ends with ctx or when the renewal finds that another
// run took a lease or the round: the run must stop then. release stops the
// renewal and gives the programs back (once, whatever the number of
// calls); it leaves the context alone, so the run can still record its
// result under the round's run. The caller ends ctx when the run is over.
func (h *leaseHold) Hold(ctx context.Context) (context.Context, func()) {
	runCtx, stopRun := context.WithCancel(ctx)
	renewCtx, stopRenew := context.WithCancel(runCtx)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		h.renew(renewCtx, stopRun)
	}()
	release := sync.OnceFunc(func() {
		stopRenew()
		<-renewed
		h.mu.Lock()
		h.releasedAt = h.now()
		h.mu.Unlock()
		// The programs go back even when ctx has ended (the service is
		// stopping).
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if err := h.store.Release(cctx, h.programIDs, h.runID); err != nil {
			h.log.Warn("release leases", "err", err)
		}
	})
	return runCtx, release
}

// renew extends the leases and the round's run every third of the TTL
// until ctx ends; on finding either lost it calls lost and returns.
func (h *leaseHold) renew(ctx context.Context, lost context.CancelFunc) {
	t := time.NewTicker(h.ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := h.now()
		ok, err := h.store.Renew(ctx, h.programIDs, h.runID, now, h.ttl)
		if err == nil && ok {
			h.mu.Lock()
			p, pct := h.phase, h.progress
			h.mu.Unlock()
			ok, err = h.store.Progress(ctx, h.roundID, h.runID, p, pct, now.Add(h.ttl))
		}
		if err == nil && !ok {
			h.log.Error("round run lost its lease; stopping")
			lost()
			return
		}
		if err != nil && ctx.Err() == nil {
			h.log.Warn("renew round leases", "err", err)
		}
	}
}

// Phase records the run's phase and progress on the round, which renews
// the round's run. It returns errLeaseLost when another run took the round.
func (h *leaseHold) Phase(ctx context.Context, phase string, progress int) error {
	h.mu.Lock()
	h.phase, h.progress = phase, progress
	h.mu.Unlock()
	ok, err := retryTransient(ctx, func() (bool, error) {
		return h.store.Progress(ctx, h.roundID, h.runID, phase, progress, h.now().Add(h.ttl))
	})
	if err != nil {
		return err
	}
	if !ok {
		return errLeaseLost
	}
	if h.pause > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(h.pause):
		}
	}
	return nil
}

// Renew extends the programs' leases at once; it returns errLeaseLost when
// one was lost.
func (h *leaseHold) Renew(ctx context.Context) error {
	ok, err := retryTransient(ctx, func() (bool, error) {
		return h.store.Renew(ctx, h.programIDs, h.runID, h.now(), h.ttl)
	})
	if err != nil {
		return err
	}
	if !ok {
		return errLeaseLost
	}
	return nil
}

// ReleasedAt is when release gave the programs back; zero before.
func (h *leaseHold) ReleasedAt() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.releasedAt
}

// leaseWriteAttempts bounds how often Renew and Phase send a lease write
// the store did not answer in time: on a busy embedded store one timed-out
// write used to fail a national run minutes in, while its leases had most
// of their TTL left.
const leaseWriteAttempts = 3

// retryTransient calls write until it answers without a transient store
// error (mongodb.IsTransient: a timeout, a dropped connection), at most
// leaseWriteAttempts times, a second apart and then two. The writes it is
// given are conditional on the run's id, so sending one twice is harmless.
func retryTransient(ctx context.Context, write func() (bool, error)) (bool, error) {
	var ok bool
	var err error
	for i := range leaseWriteAttempts {
		ok, err = write()
		if err == nil || !mongodb.IsTransient(err) || i == leaseWriteAttempts-1 || ctx.Err() != nil {
			return ok, err
		}
		select {
		case <-ctx.Done():
			return ok, err
		case <-time.After(time.Duration(i+1) * time.Second):
		}
	}
	return ok, err
}
