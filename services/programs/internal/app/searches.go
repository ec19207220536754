package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/services/programs/internal/search"
	apiprograms "github.com/talentbridge/platform/shared/api/programs"
	"github.com/talentbridge/platform/shared/events"
	programsev "github.com/talentbridge/platform/shared/events/programs"
)

// SearchStore keeps saved searches. A search.matched event is stored in
// the search's own document together with the program it names, so it is
// stored once per (search, program) however often the publication is
// handled.
type SearchStore interface {
	InsertSearch(ctx context.Context, s *domain.SavedSearch) error
	// Search returns one saved search or domain.ErrSearchNotFound.
	Search(ctx context.Context, id string) (*domain.SavedSearch, error)
	// SearchesOf returns an owner's searches, newest first.
	SearchesOf(ctx context.Context, ownerID string) ([]*domain.SavedSearch, error)
	// CountSearches counts an owner's searches.
	CountSearches(ctx context.Context, ownerID string) (int, error)
	// AlertingSearches returns every search with Alert on.
	AlertingSearches(ctx context.Context) ([]*domain.SavedSearch, error)
	// Matched records that search id found programID and stores ev with
	// it, unless it was recorded before (then it reports false and stores
	// nothing).
	Matched(ctx context.Context, id, programID string, ev events.Envelope) (bool, error)
	DeleteSearch(ctx context.Context, id string) error
	// DeleteSearchesOf removes every search of an owner (erasure).
	DeleteSearchesOf(ctx context.Context, ownerID string) error
}

// SavedSearchOf maps a saved search to what its owner sees (the API and
// the export).
func SavedSearchOf(s *domain.SavedSearch) apiprograms.SavedSearch {
	return apiprograms.SavedSearch{ID: s.ID, Q: s.Q, Kind: s.Kind, HostCountry: s.HostCountry, Field: s.Field,
		Alert: s.Alert, CreatedAt: s.CreatedAt, Matched: len(s.Matched)}
}

// UseSearches connects the saved-search use cases to their store.
func (s *Service) UseSearches(st SearchStore) { s.searches = st }

// SaveSearch stores a search for an applicant. Its filters follow the
// rules of the public search and are refused the same way.
func (s *Service) SaveSearch(ctx context.Context, a domain.Actor, in domain.SavedSearch) (*domain.SavedSearch, error) {
	if a.Role != domain.RoleApplicant || a.ID == "" {
		return nil, domain.ErrNotApplicant
	}
	in.Q, in.Kind, in.HostCountry, in.Field = strings.TrimSpace(in.Q), strings.TrimSpace(in.Kind),
		strings.ToUpper(strings.TrimSpace(in.HostCountry)), strings.TrimSpace(in.Field)
	if _, errs := search.SavedQuery(&in); len(errs) > 0 {
		return nil, &domain.ValidationError{Fields: errs}
	}
	n, err := s.searches.CountSearches(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	if n >= domain.MaxSavedSearches {
		return nil, domain.ErrTooManySearches
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	in.ID, in.OwnerID, in.CreatedAt, in.Matched = id, a.ID, s.now(), nil
	if err := s.searches.InsertSearch(ctx, &in); err != nil {
		return nil, fmt.Errorf("store saved search: %w", err)
	}
	return &in, nil
}

// MySearches lists the caller's saved searches.
func (s *Service) MySearches(ctx context.Context, a domain.Actor) ([]*domain.SavedSearch, error) {
	return s.searches.SearchesOf(ctx, a.ID)
}

// DeleteSearch removes one of the caller's saved searches; another user's
// is not found.
func (s *Service) DeleteSearch(ctx context.Context, a domain.Actor, id string) error {
	ss, err := s.searches.Search(ctx, id)
	if err != nil {
		return err
	}
	if !ss.MayRead(a) {
		return domain.ErrSearchNotFound
	}
	return s.searches.DeleteSearch(ctx, id)
}

// ForgetSearches erases a user's saved searches.
func (s *Service) ForgetSearches(ctx context.Context, userID string) error {
	if s.searches == nil {
		return nil
	}
	return s.searches.DeleteSearchesOf(ctx, userID)
}

// ExportSearches returns a user's saved searches for their data export.
func (s *Service) ExportSearches(ctx context.Context, userID string) ([]*domain.SavedSearch, error) {
	if s.searches == nil {
		return nil, nil
	}
	return s.searches.SearchesOf(ctx, userID)
}

// AlertSearches loads a published program and runs the alerting saved
// searches against it (ProgramPublished). A program that is gone or no
// longer published alerts nobody.
func (s *Service) AlertSearches(ctx context.Context, programID string) error {
	p, err := s.programs.Get(ctx, programID)
	if errors.Is(err, domain.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if p.Status != domain.StatusPublished {
		return nil
	}
	_, err = s.ProgramPublished(ctx, p)
	return err
}

// ProgramPublished runs every alerting saved search against a program just
// published and records search.matched for each that finds it, once per
// (search, program): a redelivered publication finds every match recorded
// and stores nothing new.
func (s *Service) ProgramPublished(ctx context.Context, p *domain.Program) (int, error) {
	if s.searches == nil {
		return 0, nil
	}
	all, err := s.searches.AlertingSearches(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, ss := range all {
		q, errs := search.SavedQuery(ss)
		if len(errs) > 0 || !search.Finds(q, p) {
			continue // a search saved under older rules that no longer parse finds nothing
		}
		ev, err := events.NewWithContext(ctx, programsev.Source, events.SearchMatched, ss.ID, 0, programsev.SearchMatched{
			SearchID: ss.ID, OwnerID: ss.OwnerID, ProgramID: p.ID, Title: p.Title, MatchedAt: s.now(),
		})
		if err != nil {
			return n, err
		}
		added, err := s.searches.Matched(ctx, ss.ID, p.ID, ev)
		if err != nil {
			return n, err
		}
		if added {
			n++
		}
	}
	return n, nil
}
