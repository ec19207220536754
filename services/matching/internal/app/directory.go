package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/allocation"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/recommend"
	"github.com/talentbridge/platform/services/matching/internal/scoring"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// syncMargin is how far back each sync of the directory looks beyond its
// previous one, to catch writes that other replicas (with clocks a little
// apart) made while it ran.
const syncMargin = 5 * time.Second

// Directory keeps the recommender (internal/recommend) and what the
// recommendation and candidate lists show in step with the read models.
//
// Every replica of the service holds its own directory, but each profile
// or program event reaches only one replica (the consumers are shared), so
// the directory follows the read models rather than the events: it loads
// them at start and then, every interval and whenever this replica's
// consumers write (Kick), applies the documents written since its last
// look. Each profile and program is applied once per version.
type Directory struct {
	store    ReadModel
	rec      *recommend.Recommender
	log      *slog.Logger
	now      func() time.Time
	interval time.Duration
	kick     chan struct{}

	syncMu sync.Mutex // one sync at a time
	since  time.Time  // start of the last sync, less syncMargin

	mu       sync.RWMutex
	profiles map[string]profileInfo
	programs map[string]domain.Program
}

// profileInfo is what the directory keeps of a profile besides its
// features: its version, consent and what a host's candidate list shows.
type profileInfo struct {
	version   int64
	erased    bool
	createdAt time.Time
	profile   domain.Profile
}

func infoOf(p domain.Profile) profileInfo {
	return profileInfo{version: p.Version, erased: p.Erased, createdAt: p.CreatedAt, profile: p}
}

// NewDirectory returns an empty directory over the read model.
func NewDirectory(store ReadModel, log *slog.Logger, interval time.Duration, now func() time.Time) *Directory {
	if interval <= 0 {
		interval = 2 * time.Second
	}
	if now == nil {
		now = time.Now
	}
	return &Directory{store: store, log: log, now: now, interval: interval, kick: make(chan struct{}, 1),
		rec:      recommend.New(recommend.Config{Now: now}),
		profiles: map[string]profileInfo{}, programs: map[string]domain.Program{}}
}

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
	d.mu.Lock()
	for _, p := range profiles {
		d.profiles[p.ID] = infoOf(p)
		if !p.Erased {
			apps = append(apps, allocation.ScoringApplicant(p))
		}
	}
	for _, p := range programs {
		d.programs[p.ID] = p
		if p.Status == programsev.StatusPublished {
			progs = append(progs, allocation.ScoringProgram(p))
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

// Run syncs on every kick and every interval until ctx ends.
func (d *Directory) Run(ctx context.Context) {
	t := time.NewTicker(d.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.kick:
		}
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
		d.mu.RLock()
		known, ok := d.profiles[p.ID]
		d.mu.RUnlock()
		// The read model only ever moves forward, so any difference from
		// what was applied is a change (a new version, an erasure, or a new
		// incarnation whose versions start again at 1).
		if ok && known.version == p.Version && known.erased == p.Erased && known.createdAt.Equal(p.CreatedAt) {
			continue
		}
		// The recommender is changed without d.mu held: CandidatesPage
		// calls back into the directory under the recommender's lock.
		if p.Erased {
			d.rec.RemoveApplicant(p.ID)
		} else if err := d.rec.UpsertApplicant(allocation.ScoringApplicant(p)); err != nil {
			return err
		}
		d.mu.Lock()
		d.profiles[p.ID] = infoOf(p)
		d.mu.Unlock()
	}
	for _, p := range programs {
		d.mu.RLock()
		known, ok := d.programs[p.ID]
		d.mu.RUnlock()
		if ok && known.Version == p.Version {
			continue
		}
		if p.Status == programsev.StatusPublished {
			if err := d.rec.UpsertProgram(allocation.ScoringProgram(p)); err != nil {
				return err
			}
		} else {
			d.rec.RemoveProgram(p.ID)
		}
		d.mu.Lock()
		d.programs[p.ID] = p
		d.mu.Unlock()
	}
	d.since = start.Add(-syncMargin)
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
		info, ok := d.profiles[id]
		return ok && !info.erased && info.profile.VisibleToHosts
	}
	recs, total, ok := d.rec.CandidatesPage(programID, visible, offset, limit)
	if !ok {
		return nil, 0, false
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Candidate, 0, len(recs))
	for _, r := range recs {
		out = append(out, Candidate{Profile: d.profiles[r.ID].profile, Recommendation: r})
	}
	return out, total, true
}
