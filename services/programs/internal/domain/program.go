// Package domain holds the programs service's rules: what a valid program
// is, how it moves from draft to published to closed, what a match round
// locks, and who may see or change it. It is pure Go.
package domain

import (
	"slices"
	"time"
)

// Status is where a program is in its life.
type Status string

// Statuses: a draft is seen only by its host; a published program is public
// and takes applications until it closes; a closed program is public but
// takes none and cannot change.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
	StatusClosed    Status = "closed"
)

// Why a program was closed.
const (
	ClosedByHost        = "host"
	ClosedByCoordinator = "coordinator"
	ClosedByDeadline    = "deadline"
	ClosedHostDeleted   = "host_deleted"
)

// Roles of the people who act on programs; the strings are the token's
// role claim.
const (
	RoleApplicant   = "applicant"
	RoleHost        = "host"
	RoleCoordinator = "coordinator"
	RoleAdmin       = "admin"
)

// Actor is who asks: an account id and its role. The zero Actor is an
// anonymous visitor.
type Actor struct {
	ID   string
	Role string
}

// IsCoordinator reports whether the actor oversees every program.
func (a Actor) IsCoordinator() bool { return a.Role == RoleCoordinator || a.Role == RoleAdmin }

// Program is one program with its lifecycle. Adapters rebuild it from
// storage field by field; every change goes through a method so that the
// rules below hold.
type Program struct {
	ID     string
	HostID string
	Content
	Status Status
	// Locked is set once a match round that includes the program has run;
	// LockedBy lists those rounds.
	Locked   bool
	LockedBy []string
	// Version increases by one with every change and is the
	// aggregateversion of the event a change causes.
	Version      int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	PublishedAt  time.Time
	ClosedAt     time.Time
	ClosedReason string
	// ClosesAt is the end of the application deadline day in the host
	// country, derived from the content.
	ClosesAt time.Time
}

// New makes a draft owned by hostID from c, checking c against every rule.
func New(id, hostID string, c Content, now time.Time) (*Program, error) {
	c = c.Normalize()
	if err := c.Validate(now); err != nil {
		return nil, err
	}
	p := &Program{ID: id, HostID: hostID, Content: c, Status: StatusDraft, Version: 1,
		CreatedAt: now, UpdatedAt: now}
	p.ClosesAt, _ = ClosesAt(c.HostCountry, c.ApplicationDeadline)
	return p, nil
}

// Edit replaces the content. A closed program cannot change; once locked by
// a round its seats, reserves and eligibility cannot change either. It reports whether
// anything changed.
func (p *Program) Edit(c Content, now time.Time) (bool, error) {
	if p.Status == StatusClosed {
		return false, ErrClosed
	}
	c = c.Normalize()
	if err := c.Validate(now); err != nil {
		return false, err
	}
	if p.Locked && (c.SeatCount() != p.SeatCount() || !sameRules(c.Eligibility, p.Eligibility) ||
		!slices.Equal(c.Reserves, p.Reserves) || c.ReserveOrder != p.ReserveOrder) {
		return false, ErrLocked
	}
	if c.Equal(p.Content) {
		return false, nil
	}
	p.Content = c
	p.ClosesAt, _ = ClosesAt(c.HostCountry, c.ApplicationDeadline)
	p.touch(now)
	return true, nil
}

// Publish makes a draft public. Publishing a published program changes
// nothing; a closed one cannot be published again, nor one whose deadline
// has passed.
func (p *Program) Publish(now time.Time) (bool, error) {
	switch p.Status {
	case StatusPublished:
		return false, nil
	case StatusClosed:
		return false, ErrClosed
	}
	if !now.Before(p.ClosesAt) {
		return false, ErrDeadlinePassed
	}
	p.Status = StatusPublished
	p.PublishedAt = now
	p.touch(now)
	return true, nil
}

// Close ends the program for reason. Closing a closed program changes
// nothing. A draft may be closed too (a host discarding it).
func (p *Program) Close(reason string, now time.Time) bool {
	if p.Status == StatusClosed {
		return false
	}
	p.Status = StatusClosed
	p.ClosedAt = now
	p.ClosedReason = reason
	p.touch(now)
	return true
}

// WasPublished reports whether the public ever saw the program.
func (p *Program) WasPublished() bool { return !p.PublishedAt.IsZero() }

// Lock records that round has run with the program; from now on seats and
// eligibility are fixed. It reports whether anything changed.
func (p *Program) Lock(round string, now time.Time) bool {
	if p.Locked && slices.Contains(p.LockedBy, round) {
		return false
	}
	p.Locked = true
	if !slices.Contains(p.LockedBy, round) {
		p.LockedBy = append(p.LockedBy, round)
	}
	p.touch(now)
	return true
}

// Due reports whether the program should be closed because its application
// deadline has passed.
func (p *Program) Due(now time.Time) bool {
	return p.Status == StatusPublished && !now.Before(p.ClosesAt)
}

// Open reports whether the program takes applications at t.
func (p *Program) Open(t time.Time) bool {
	return p.Status == StatusPublished && t.Before(p.ClosesAt)
}

// OwnedBy reports whether a is the program's host.
func (p *Program) OwnedBy(a Actor) bool { return a.Role == RoleHost && a.ID != "" && a.ID == p.HostID }

// VisibleTo reports whether a may see the program: drafts only to their
// host, everything else to everyone.
func (p *Program) VisibleTo(a Actor) bool {
	return p.Status != StatusDraft || p.OwnedBy(a)
}

// MayEdit reports whether a may change the content or publish: only the
// program's host.
func (p *Program) MayEdit(a Actor) bool { return p.OwnedBy(a) }

// MayClose reports whether a may close the program: its host or any
// coordinator.
func (p *Program) MayClose(a Actor) bool { return p.OwnedBy(a) || a.IsCoordinator() }

func (p *Program) touch(now time.Time) {
	p.Version++
	p.UpdatedAt = now
}

// Host is what the service knows about a host account, built from identity
// events.
type Host struct {
	ID       string
	Verified bool
	Deleted  bool
	// SignedUp is set once the account's user.created arrived: a host
	// account exists, verified or not.
	SignedUp bool
}

// MayDraft reports whether the host may create and edit drafts: any host
// account that exists, before a coordinator verified it too, so that a
// new host can prepare programs while waiting.
func (h Host) MayDraft() bool { return (h.SignedUp || h.Verified) && !h.Deleted }

// MayPublish reports whether the host may make programs public: only once
// a coordinator verified the account.
func (h Host) MayPublish() bool { return h.Verified && !h.Deleted }
