package app

import (
	"context"
	"sync"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/recommend"
	"github.com/talentbridge/platform/services/matching/internal/scoring"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// Directory is one replica's in-memory view of the read models that the
// recommendation and candidate lists show, with the recommender
// (internal/recommend) built over it.
//
// Each replica builds its directory from the read models at start (Load)
// and then keeps it current from the profile and program events
// themselves, every replica reading every event (messaging.Follow). Events
// come again after a restart or a reconnection and may be older than what
// was loaded; an entry is applied only when it supersedes what the
// directory holds (domain.Profile.Supersedes, a higher program version), so
// repeated and late ones change nothing.
type Directory struct {
	rec *recommend.Recommender
	now func() time.Time

	// applyMu makes "compare with what is held, then change the
	// recommender" one step per entry. The recommender is changed without
	// mu held: CandidatesPage calls back into the directory under the
	// recommender's lock.
	applyMu  sync.Mutex
	mu       sync.RWMutex
	profiles map[string]domain.Profile // tombstones included
	programs map[string]domain.Program
}

// NewDirectory returns an empty directory; now nil means time.Now.
func NewDirectory(now func() time.Time) *Directory {
	if now == nil {
		now = time.Now
	}
	return &Directory{now: now, rec: recommend.New(recommend.Config{Now: now}),
		profiles: map[string]domain.Profile{}, programs: map[string]domain.Program{}}
}

// Snapshot reads the read models whole, for Load.
type Snapshot interface {
	// AllProfiles returns every stored profile, tombstones included.
	AllProfiles(ctx context.Context) ([]domain.Profile, error)
	// AllPrograms returns every stored program.
	AllPrograms(ctx context.Context) ([]domain.Program, error)
}

// Load builds the recommender from everything in the read models. Call it
// once, before anything is applied.
func (d *Directory) Load(ctx context.Context, src Snapshot) error {
	profiles, err := src.AllProfiles(ctx)
	if err != nil {
		return err
	}
	programs, err := src.AllPrograms(ctx)
	if err != nil {
		return err
	}
	var apps []scoring.Applicant
	var progs []scoring.Program
	d.applyMu.Lock()
	defer d.applyMu.Unlock()
	d.mu.Lock()
	for _, p := range profiles {
		p = p.Interned()
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
	return d.rec.Build(apps, progs)
}

// ApplyProfile puts p, a profile or the tombstone of an erasure, into the
// recommender (or takes it out) unless what the directory holds is as late
// or later.
func (d *Directory) ApplyProfile(p domain.Profile) error {
	d.applyMu.Lock()
	defer d.applyMu.Unlock()
	d.mu.RLock()
	known, ok := d.profiles[p.ID]
	d.mu.RUnlock()
	if ok && !p.Supersedes(known) {
		return nil
	}
	p = p.Interned()
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

// ApplyProgram puts p into the recommender (or takes it out, when it is no
// longer published) unless the directory holds its version or a later one.
func (d *Directory) ApplyProgram(p domain.Program) error {
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
// whom its host may see, best first, and their number: those in applied
// (the applicants with a live application to it) and those who let eligible
// hosts find them. ok is false when the recommender does not hold the
// program (it is closed or unknown).
func (d *Directory) Candidates(programID string, applied map[string]bool, offset, limit int) ([]Candidate, int, bool) {
	visible := func(id string) bool {
		if applied[id] {
			return true
		}
		d.mu.RLock()
		defer d.mu.RUnlock()
		p, ok := d.profiles[id]
		return ok && !p.Erased && p.FindableByHosts
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
