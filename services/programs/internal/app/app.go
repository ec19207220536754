// Package app holds the programs service's use cases: create, edit,
// publish and close programs, search them, import them from CSV, close them
// when their deadline passes, and react to identity and matching events.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/talentbridge/platform/services/programs/internal/csvimport"
	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	"github.com/talentbridge/platform/shared/events"
	programsev "github.com/talentbridge/platform/shared/events/programs"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Options are what the use cases need.
type Options struct {
	Programs ProgramStore
	Hosts    HostStore
	Index    *search.Index
	// Clock is the time source; tests move it forward.
	Clock func() time.Time
	Log   *slog.Logger
}

// Service is the programs service's use cases.
type Service struct {
	programs ProgramStore
	hosts    HostStore
	index    *search.Index
	clock    func() time.Time
	log      *slog.Logger
	imports  importWatch
	// searches keeps saved searches (UseSearches).
	searches SearchStore
	// applicants keeps applicants' eligibility facts (UseApplicants).
	applicants ApplicantStore
}

// New returns the use cases.
func New(o Options) *Service {
	return &Service{programs: o.Programs, hosts: o.Hosts, index: o.Index, clock: o.Clock, log: o.Log}
}

// now is the clock at the millisecond, the precision MongoDB stores.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Millisecond) }

// ImportError lists every problem of a CSV import, which stored nothing.
type ImportError struct {
	Rows []csvimport.RowError
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import refused: %d problems", len(e.Rows))
}

// Create stores a new draft owned by the calling host, verified or still
// waiting for a coordinator (publishing needs the verification).
func (s *Service) Create(ctx context.Context, a domain.Actor, c domain.Content) (*domain.Program, error) {
	if err := s.mayCreate(ctx, a, false); err != nil {
		return nil, err
	}
	done := s.index.Begin()
	defer done()
	id, err := newID()
	if err != nil {
		return nil, err
	}
	p, err := domain.New(id, a.ID, c, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.programs.Insert(ctx, p, nil); err != nil {
		return nil, fmt.Errorf("store program: %w", err)
	}
	s.index.Put(p)
	return p, nil
}

// mayCreate checks that the caller is a host account that may keep drafts
// or, with publish, make programs public.
func (s *Service) mayCreate(ctx context.Context, a domain.Actor, publish bool) error {
	if a.Role != domain.RoleHost || a.ID == "" {
		return domain.ErrHostNotVerified
	}
	h, err := s.hosts.Host(ctx, a.ID)
	if err != nil {
		return fmt.Errorf("load host: %w", err)
	}
	if !h.MayDraft() || (publish && !h.MayPublish()) {
		return domain.ErrHostNotVerified
	}
	return nil
}

// Update replaces the content of one of the caller's programs. A change to
// a published program is announced with program.updated.
func (s *Service) Update(ctx context.Context, a domain.Actor, id string, c domain.Content) (*domain.Program, error) {
	return s.change(ctx, id, func(p *domain.Program) ([]events.Envelope, error) {
		if !p.MayEdit(a) {
			return nil, domain.ErrNotFound
		}
		changed, err := p.Edit(c, s.now())
		if err != nil {
			return nil, err
		}
		if !changed {
			return nil, ErrUnchanged
		}
		if p.Status != domain.StatusPublished {
			return nil, nil
		}
		return s.events(events.ProgramUpdated, p)
	})
}

// Publish makes one of the caller's drafts public.
func (s *Service) Publish(ctx context.Context, a domain.Actor, id string) (*domain.Program, error) {
	return s.change(ctx, id, func(p *domain.Program) ([]events.Envelope, error) {
		if !p.MayEdit(a) {
			return nil, domain.ErrNotFound
		}
		// The program is the caller's: only now may the answer say that
		// their account is not verified yet.
		if err := s.mayCreate(ctx, a, true); err != nil {
			return nil, err
		}
		changed, err := p.Publish(s.now())
		if err != nil {
			return nil, err
		}
		if !changed {
			return nil, ErrUnchanged
		}
		return s.events(events.ProgramPublished, p)
	})
}

// Close ends a program: the host's own, or any program for a coordinator.
func (s *Service) Close(ctx context.Context, a domain.Actor, id string) (*domain.Program, error) {
	reason := domain.ClosedByHost
	if a.IsCoordinator() {
		reason = domain.ClosedByCoordinator
	}
	return s.change(ctx, id, func(p *domain.Program) ([]events.Envelope, error) {
		if !p.VisibleTo(a) || !p.MayClose(a) {
			return nil, domain.ErrNotFound
		}
		return s.close(p, reason)
	})
}

// close closes p and returns program.closed when the public had seen it.
func (s *Service) close(p *domain.Program, reason string) ([]events.Envelope, error) {
	if !p.Close(reason, s.now()) {
		return nil, ErrUnchanged
	}
	if !p.WasPublished() {
		return nil, nil
	}
	return s.events(events.ProgramClosed, p)
}

// change runs one update through the store, keeping the search index in
// step.
func (s *Service) change(ctx context.Context, id string, fn func(p *domain.Program) ([]events.Envelope, error)) (*domain.Program, error) {
	done := s.index.Begin()
	defer done()
	p, err := s.programs.Update(ctx, id, fn)
	if err != nil {
		return nil, err
	}
	s.index.Put(p)
	return p, nil
}

// Get returns a program the caller may see.
func (s *Service) Get(ctx context.Context, a domain.Actor, id string) (*domain.Program, error) {
	p, err := s.programs.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.VisibleTo(a) {
		return nil, domain.ErrNotFound
	}
	return p, nil
}

// Search answers a catalogue query.
func (s *Service) Search(a domain.Actor, q search.Query) search.Result {
	return s.index.Search(q, a)
}

// Import stores every program of a CSV file as drafts of the calling host
// (published at once when publish is set), or none of them: any problem in
// any row refuses the whole file with an *ImportError listing them all.
func (s *Service) Import(ctx context.Context, a domain.Actor, rows []csvimport.Row, problems []csvimport.RowError, publish bool) ([]*domain.Program, error) {
	if err := s.mayCreate(ctx, a, publish); err != nil {
		return nil, err
	}
	done := s.index.Begin()
	defer done()
	now := s.now()
	errs := slices.Clone(problems)
	imp := Import{HostID: a.ID, CreatedAt: now}
	var err error
	if imp.ID, err = newID(); err != nil {
		return nil, err
	}
	for _, row := range rows {
		id, err := newID()
		if err != nil {
			return nil, err
		}
		p, err := domain.New(id, a.ID, row.Content, now)
		var ve *domain.ValidationError
		switch {
		case errors.As(err, &ve):
			for _, f := range ve.Fields {
				errs = append(errs, f.At(row.Line))
			}
			continue
		case err != nil:
			return nil, err
		}
		var evs []events.Envelope
		if publish {
			if _, err := p.Publish(now); err != nil {
				errs = append(errs, fielderr.NewDatePast("applicationDeadline").At(row.Line).Because("%s", err.Error()))
				continue
			}
			if evs, err = s.events(events.ProgramPublished, p); err != nil {
				return nil, err
			}
		}
		imp.Programs = append(imp.Programs, Pending{Program: p, Events: evs})
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(x, y csvimport.RowError) int { return x.Line - y.Line })
		return nil, &ImportError{Rows: errs}
	}
	if err := s.programs.SaveImport(ctx, imp); err != nil {
		// It may have been saved all the same (a timeout after the
		// write): the deadline loop looks.
		s.imports.unfinished(imp.CreatedAt)
		return nil, fmt.Errorf("save import: %w", err)
	}
	finished := true
	if _, err := s.programs.FinishImport(ctx, imp.ID); err != nil {
		// The import is saved whole; the deadline loop finishes it and
		// puts its programs in the index.
		s.log.Warn("finish import later", "import_id", imp.ID, "err", err)
		s.imports.unfinished(imp.CreatedAt)
		finished = false
	}
	out := make([]*domain.Program, len(imp.Programs))
	for i, pd := range imp.Programs {
		if finished {
			s.index.Put(pd.Program)
		}
		out[i] = pd.Program
	}
	return out, nil
}

// Imports a request saved but did not finish (the process stopped in
// between, or the store failed) are finished by the deadline loop.
const (
	// importGrace is how old an unfinished import must be before the loop
	// finishes it, so that a request still under way finishes its own.
	importGrace = 10 * time.Second
	// importSweep is how often the loop looks for unfinished imports when
	// it knows of none: for those of a replica that stopped for good.
	importSweep = 10 * time.Minute
)

// importWatch says when FinishImports needs to read the store, which on the
// embedded store means reading every import.
type importWatch struct {
	mu      sync.Mutex
	started bool
	// until is set while an import created before it may be unfinished:
	// at start-up (one a stopped process left), and when a request of
	// this process could not finish its own.
	until time.Time
	// next is when to look anyway.
	next time.Time
}

// unfinished records that an import created at t may be unfinished.
func (w *importWatch) unfinished(t time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if t.After(w.until) {
		w.until = t
	}
}

// due reports whether to look for unfinished imports at now.
func (w *importWatch) due(now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.started {
		w.started = true
		if now.After(w.until) {
			w.until = now
		}
	}
	return !w.until.IsZero() || !now.Before(w.next)
}

// finished records that every import created before cutoff is finished.
func (w *importWatch) finished(cutoff, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if cutoff.After(w.until) {
		w.until = time.Time{}
	}
	w.next = now.Add(importSweep)
}

// FinishImports completes imports that were saved but not finished, older
// than importGrace, and puts their programs in the search index. It reads
// the store only when an import may be unfinished: on its first call, while
// this process knows of one it did not finish, and every importSweep.
func (s *Service) FinishImports(ctx context.Context) error {
	now := s.now()
	if !s.imports.due(now) {
		return nil
	}
	cutoff := now.Add(-importGrace)
	ids, err := s.programs.PendingImports(ctx, cutoff)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		progs, err := s.programs.FinishImport(ctx, id)
		if err != nil {
			errs = append(errs, fmt.Errorf("import %s: %w", id, err))
			continue
		}
		// An older copy than the index holds (one stored by an earlier,
		// interrupted run and changed since) is ignored.
		for _, p := range progs {
			s.index.Put(p)
		}
	}
	if len(errs) == 0 {
		s.imports.finished(cutoff, now)
	}
	return errors.Join(errs...)
}

// CloseDue closes every published program whose application deadline has
// passed and reports how many this call closed (at most 200; the loop
// comes back for the rest).
//
// The candidates come from the search index, which holds every program
// with its status and deadline, so no query scans the collection. The index
// may lag the database by the refresh interval: a program another replica
// just published is closed by that replica (or here after the refresh),
// and one whose deadline another replica moved is checked again on the
// stored document, so a stale index never closes a program wrongly.
// Several replicas may run this at once: the store's conditional update
// lets exactly one of them close each program, so program.closed is stored
// (and published) once.
func (s *Service) CloseDue(ctx context.Context) (int, error) {
	ids := s.index.Due(s.now(), 200)
	n := 0
	var errs []error
	for _, id := range ids {
		closed := false
		_, err := s.change(ctx, id, func(p *domain.Program) ([]events.Envelope, error) {
			closed = false
			if !p.Due(s.now()) {
				return nil, ErrUnchanged
			}
			evs, err := s.close(p, domain.ClosedByDeadline)
			closed = err == nil
			return evs, err
		})
		switch {
		case errors.Is(err, domain.ErrNotFound):
		case err != nil:
			errs = append(errs, fmt.Errorf("close %s: %w", id, err))
		case closed:
			n++
			s.log.Info("program closed: deadline passed", "program_id", id)
		}
	}
	return n, errors.Join(errs...)
}

// HostCreated records a new account when it is a host's.
func (s *Service) HostCreated(ctx context.Context, userID, role, status string) error {
	if role != domain.RoleHost {
		return nil
	}
	return s.hosts.HostCreated(ctx, userID, status == "active" || status == "verified")
}

// HostVerified records that a coordinator verified a host.
func (s *Service) HostVerified(ctx context.Context, userID, role string) error {
	if role != "" && role != domain.RoleHost {
		return nil
	}
	return s.hosts.HostVerified(ctx, userID)
}

// HostDeleted records that a host's account was erased: it can post no
// more, its programs close, and its import records go.
func (s *Service) HostDeleted(ctx context.Context, userID, role string) error {
	if role != "" && role != domain.RoleHost {
		return nil
	}
	if err := s.hosts.HostDeleted(ctx, userID); err != nil {
		return err
	}
	progs, err := s.programs.ListByHost(ctx, userID)
	if err != nil {
		return err
	}
	for _, p := range progs {
		if p.Status == domain.StatusClosed {
			continue
		}
		_, err := s.change(ctx, p.ID, func(p *domain.Program) ([]events.Envelope, error) {
			return s.close(p, domain.ClosedHostDeleted)
		})
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return fmt.Errorf("close %s: %w", p.ID, err)
		}
	}
	return s.programs.DeleteImports(ctx, userID)
}

// RoundCompleted locks the seats and eligibility of every program of a
// round that has run. Programs unknown here are skipped.
func (s *Service) RoundCompleted(ctx context.Context, roundID string, programIDs []string) error {
	for _, id := range programIDs {
		_, err := s.change(ctx, id, func(p *domain.Program) ([]events.Envelope, error) {
			if !p.Lock(roundID, s.now()) {
				return nil, ErrUnchanged
			}
			return nil, nil
		})
		if err != nil && !errors.Is(err, domain.ErrNotFound) {
			return fmt.Errorf("lock %s: %w", id, err)
		}
	}
	return nil
}

// Export returns everything held about a user: the programs they host.
func (s *Service) Export(ctx context.Context, userID string) ([]*domain.Program, error) {
	return s.programs.ListByHost(ctx, userID)
}

// LoadIndex puts into the search index every program changed at or after
// since and returns the latest change time seen (since when none).
func (s *Service) LoadIndex(ctx context.Context, since time.Time) (time.Time, error) {
	progs, err := s.programs.ChangedSince(ctx, since)
	if err != nil {
		return since, err
	}
	latest := since
	for _, p := range progs {
		s.index.Put(p)
		if p.UpdatedAt.After(latest) {
			latest = p.UpdatedAt
		}
	}
	return latest, nil
}

// events builds the event a change of p causes.
func (s *Service) events(subject string, p *domain.Program) ([]events.Envelope, error) {
	snap := Snapshot(p)
	var payload any
	switch subject {
	case events.ProgramPublished:
		payload = programsev.ProgramPublished{Program: snap}
	case events.ProgramUpdated:
		payload = programsev.ProgramUpdated{Program: snap}
	case events.ProgramClosed:
		payload = programsev.ProgramClosed{Program: snap}
	default:
		return nil, fmt.Errorf("no event %s for programs", subject)
	}
	ev, err := events.New(programsev.Source, subject, p.ID, p.Version, payload)
	if err != nil {
		return nil, err
	}
	return []events.Envelope{ev}, nil
}

// Snapshot is the whole program as events, the API and exports show it.
func Snapshot(p *domain.Program) programsev.Program {
	c := p.Content
	out := programsev.Program{
		ID: p.ID, HostID: p.HostID,
		Title: c.Title, TitleJa: c.TitleJa, Description: c.Description, DescriptionJa: c.DescriptionJa,
		Kind: c.Kind, HostOrg: c.HostOrg, HostCountry: c.HostCountry, Region: c.Region,
		Fields: nonNil(c.Fields), Skills: nonNil(c.Skills), Seats: c.SeatCount(),
		StartDate: c.StartDate, EndDate: c.EndDate, ApplicationDeadline: c.ApplicationDeadline,
		ClosesAt: p.ClosesAt, Eligibility: c.Eligibility,
		Status: string(p.Status), Locked: p.Locked, Version: p.Version,
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, ClosedReason: p.ClosedReason,
	}
	out.ReserveOrder = c.ReserveOrder
	if out.ReserveOrder == "" {
		out.ReserveOrder = programsev.ReserveOrderLast
	}
	out.Reserves = make([]programsev.Reserve, len(c.Reserves))
	for i, x := range c.Reserves {
		out.Reserves[i] = programsev.Reserve{Category: x.Category, Seats: x.Seats}
	}
	if c.Stipend != nil {
		out.Stipend = &programsev.Stipend{Amount: c.Stipend.Amount, Currency: c.Stipend.Currency, Period: c.Stipend.Period}
	}
	if !p.PublishedAt.IsZero() {
		t := p.PublishedAt
		out.PublishedAt = &t
	}
	if !p.ClosedAt.IsZero() {
		t := p.ClosedAt
		out.ClosedAt = &t
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", fmt.Errorf("new id: %w", err)
	}
	return id.String(), nil
}
