package app

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/recommend"
	"github.com/talentbridge/platform/services/matching/internal/scoring"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// syncMargin is how far back each sync of the directory looks beyond its
// previous one, to catch writes that other replicas (with clocks a little
// apart) made while it ran.
const syncMargin = 5 * time.Second

// DefaultSyncInterval is how often a directory reads what the read models
// gained since its last look when nothing tells it sooner. Writes reach
// it directly (this replica's) or by a peer's announcement (other
// replicas'); the sync only catches what an announcement lost, so it can
// be rare. On the embedded store each sync reads both read models whole.
const DefaultSyncInterval = 30 * time.Second

// loneSyncInterval is how often a directory that has heard no other
// replica for that long syncs all the same: with no peer, there is
// nothing to catch, unless a peer's every announcement was lost.
const loneSyncInterval = 10 * time.Minute

// Directory keeps the recommender (internal/recommend) and what the
// recommendation and candidate lists show in step with the read models.
//
// Every replica of the service holds its own directory, but each profile
// or program event reaches only one replica (the consumers are shared).
// The replica that stores a read-model entry applies it to its directory
// at once and announces its id to the other replicas (Announce), which
// read it back by id (Refresh). A periodic sync of everything written
// since its last look catches what an announcement missed. An entry is
// applied only when it supersedes what the directory holds
// (domain.Profile.Supersedes, a higher program version), so late and
// repeated reads change nothing.
type Directory struct {
	store    ReadModel
	rec      *recommend.Recommender
	log      *slog.Logger
	now      func() time.Time
	interval time.Duration
	kick     chan struct{}

	// announce, when set, tells the other replicas about entries this one
	// wrote.
	announce func(profileIDs, programIDs []string)

	syncMu sync.Mutex // one sync at a time
	since  time.Time  // start of the last sync, less syncMargin

	// peerAt is when another replica was last heard from (PeerSeen), in
	// Unix nanoseconds.
	peerAt atomic.Int64

	// applyMu makes "compare with what is held, then change the
	// recommender" one step per entry. The recommender is changed without
	// mu held: CandidatesPage calls back into the directory under the
	// recommender's lock.
	applyMu  sync.Mutex
	mu       sync.RWMutex
	profiles map[string]domain.Profile // tombstones included
	programs map[string]domain.Program
}

// NewDirectory returns an empty directory over the read model; interval
// zero means DefaultSyncInterval.
func NewDirectory(store ReadModel, log *slog.Logger, interval time.Duration, now func() time.Time) *Directory {
	if interval <= 0 {
		interval = DefaultSyncInterval
	}
	if now == nil {
		now = time.Now
	}
	return &Directory{store: store, log: log, now: now, interval: interval, kick: make(chan struct{}, 1),
		rec:      recommend.New(recommend.Config{Now: now}),
		profiles: map[string]domain.Profile{}, programs: map[string]domain.Program{}}
}

// SetAnnounce sets how this replica tells the others about entries it
// wrote; call it before Run.
func (d *Directory) SetAnnounce(fn func(profileIDs, programIDs []string)) { d.announce = fn }

// Load builds the recommender from everything in the read models.
func (d *Directory) Load(ctx context.Context) error {
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	start := d.now()
	profiles, programs, err := d.store.Changed(ctx, time.Time{})
	if err != nil {
		return err
	}
	var apps []scoring.Applicant
	var progs []scoring.Program
	d.applyMu.Lock()
	defer d.applyMu.Unlock()
	d.mu.Lock()
	for _, p := range profiles {
		d.profiles[p.ID] = p
		if !p.Erased {
			apps = append(apps, p.ScoringApplicant())
		}
	}
	for _, p := range programs {
		d.programs[p.ID] = p
		if p.Status == programsev.StatusPublished {
			progs = append(progs, p.ScoringProgram())
		}
	}
	d.mu.Unlock()
	if err := d.rec.Build(apps, progs); err != nil {
		return err
	}
	d.since = start.Add(-syncMargin)
	return nil
}

// Kick asks for a sync now.
func (d *Directory) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// PeerSeen records that another replica announced something.
func (d *Directory) PeerSeen() { d.peerAt.Store(time.Now().UnixNano()) }

// Run syncs on every kick, and every interval while other replicas are
// about (every loneSyncInterval otherwise), until ctx ends.
func (d *Directory) Run(ctx context.Context) {
	t := time.NewTicker(d.interval)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			lone := time.Since(time.Unix(0, d.peerAt.Load())) > loneSyncInterval
			if lone && time.Since(last) < loneSyncInterval {
				continue
			}
		case <-d.kick:
		}
		last = time.Now()
		if err := d.Sync(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("sync recommendations", "err", err)
		}
	}
}

// Sync applies the read-model documents written since the last sync.
func (d *Directory) Sync(ctx context.Context) error {
	d.syncMu.Lock()
	defer d.syncMu.Unlock()
	start := d.now()
	profiles, programs, err := d.store.Changed(ctx, d.since)
	if err != nil {
		return err
	}
	for _, p := range profiles {
		if err := d.applyProfile(p); err != nil {
			return err
		}
	}
	for _, p := range programs {
		if err := d.applyProgram(p); err != nil {
			return err
		}
	}
	d.since = start.Add(-syncMargin)
	return nil
}

// Stored applies read-model entries this replica has just written and
// announces them to the other replicas.
func (d *Directory) Stored(profiles []domain.Profile, programs []domain.Program) error {
	var pids, gids []string
	for _, p := range profiles {
		if err := d.applyProfile(p); err != nil {
			return err
		}
		pids = append(pids, p.ID)
	}
	for _, p := range programs {
		if err := d.applyProgram(p); err != nil {
			return err
		}
		gids = append(gids, p.ID)
	}
	if d.announce != nil && len(pids)+len(gids) > 0 {
		d.announce(pids, gids)
	}
	return nil
}

// Refresh reads the named entries back from the read models, by id, and
// applies them: what another replica announced, or what this one changed
// without holding the result (an erasure).
func (d *Directory) Refresh(ctx context.Context, profileIDs, programIDs []string) error {
	for _, id := range profileIDs {
		p, ok, err := d.store.StoredProfile(ctx, id)
		if err != nil {
			return err
		}
		if ok {
			if err := d.applyProfile(p); err != nil {
				return err
			}
		}
	}
	for _, id := range programIDs {
		p, err := d.store.Program(ctx, id)
		var nf *domain.NotFoundError
		if errors.As(err, &nf) {
			continue
		}
		if err != nil {
			return err
		}
		if err := d.applyProgram(*p); err != nil {
			return err
		}
	}
	return nil
}

// applyProfile puts p into the recommender unless what the directory holds
// is as late or later.
func (d *Directory) applyProfile(p domain.Profile) error {
	d.applyMu.Lock()
	defer d.applyMu.Unlock()
	d.mu.RLock()
	known, ok := d.profiles[p.ID]
	d.mu.RUnlock()
	if ok && !p.Supersedes(known) {
		return nil
	}
	if p.Erased {
		d.rec.RemoveApplicant(p.ID)
	} else if err := d.rec.UpsertApplicant(p.ScoringApplicant()); err != nil {
		return err
	}
	d.mu.Lock()
	d.profiles[p.ID] = p
	d.mu.Unlock()
	return nil
}

// applyProgram puts p into the recommender (or takes it out, when it is
// no longer published) unless the directory holds its version or a later
// one.
func (d *Directory) applyProgram(p domain.Program) error {
	d.applyMu.Lock()
	defer d.applyMu.Unlock()
	d.mu.RLock()
	known, ok := d.programs[p.ID]
	d.mu.RUnlock()
	if ok && known.Version >= p.Version {
		return nil
	}
	if p.Status == programsev.StatusPublished {
		if err := d.rec.UpsertProgram(p.ScoringProgram()); err != nil {
			return err
		}
	} else {
		d.rec.RemoveProgram(p.ID)
	}
	d.mu.Lock()
	d.programs[p.ID] = p
	d.mu.Unlock()
	return nil
}

// Recommendation is a program recommended to an applicant.
type Recommendation struct {
	Program domain.Program
	recommend.Recommendation
}

// Recommendations returns the best open programs for an applicant, best
// first; none when the applicant has no profile (yet).
func (d *Directory) Recommendations(applicantID string) []Recommendation {
	recs, ok := d.rec.ProgramsFor(applicantID)
	if !ok {
		return []Recommendation{}
	}
	now := d.now()
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Recommendation, 0, len(recs))
	for _, r := range recs {
		p, known := d.programs[r.ID]
		if !known || !p.OpenAt(now) {
			continue
		}
		out = append(out, Recommendation{Program: p, Recommendation: r})
	}
	return out
}

// Candidate is an applicant shown to a program's host.
type Candidate struct {
	Profile domain.Profile
	recommend.Recommendation
}

// Candidates returns one page of the eligible applicants of an open program
// who consented to be shown to hosts, best first, and their number; ok is
// false when the recommender does not hold the program (it is closed or
// unknown).
func (d *Directory) Candidates(programID string, offset, limit int) ([]Candidate, int, bool) {
	visible := func(id string) bool {
		d.mu.RLock()
		defer d.mu.RUnlock()
		p, ok := d.profiles[id]
		return ok && !p.Erased && p.VisibleToHosts
	}
	recs, total, ok := d.rec.CandidatesPage(programID, visible, offset, limit)
	if !ok {
		return nil, 0, false
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Candidate, 0, len(recs))
	for _, r := range recs {
		out = append(out, Candidate{Profile: d.profiles[r.ID], Recommendation: r})
	}
	return out, total, true
}
