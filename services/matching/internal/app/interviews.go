package app

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// Interview slots: the host of a program offers them, a shortlisted
// applicant books one (a slot holds one applicant) and may cancel until a
// day before.

// AddSlots adds interview slots to a program the caller hosts (any for a
// coordinator). Reading the program's slots, checking the new ones against
// them and storing them happen under the program's slots lock, so of two
// overlapping requests at once the second sees the first's slots and gets
// a conflict.
func (s *Service) AddSlots(ctx context.Context, c Caller, programID string, in []domain.SlotInput) ([]domain.Slot, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, err
	}
	slots, err := domain.NewSlots(in, nil, p.ID, p.HostID, s.now(), newID)
	if err != nil {
		return nil, err
	}
	release, err := s.lockSlots(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	defer release()
	existing, err := s.store.Slots(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if err := domain.FitSlots(slots, existing); err != nil {
		return nil, err
	}
	if err := s.store.InsertSlots(ctx, slots); err != nil {
		return nil, err
	}
	return slots, nil
}

// slotsLockTTL bounds how long a crashed writer keeps a program's slots
// locked; slotsLockWait how long a writer waits for the lock.
const (
	slotsLockTTL  = 10 * time.Second
	slotsLockWait = 5 * time.Second
	slotsLockPoll = 20 * time.Millisecond
)

// lockSlots waits for the program's slots lock and returns its release.
func (s *Service) lockSlots(ctx context.Context, programID string) (func(), error) {
	owner := newID()
	deadline := time.Now().Add(slotsLockWait)
	for {
		now := s.now()
		ok, err := s.store.LockSlots(ctx, programID, owner, now, now.Add(slotsLockTTL))
		if err != nil {
			return nil, err
		}
		if ok {
			return func() {
				if err := s.store.UnlockSlots(context.WithoutCancel(ctx), programID, owner); err != nil {
					s.log.Warn("unlock slots", "program", programID, "err", err)
				}
			}, nil
		}
		if time.Now().After(deadline) {
			return nil, domain.Conflict("slots_busy", "the program's slots are being changed; try again")
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(slotsLockPoll):
		}
	}
}

// CancelSlot takes back one of a program's slots (its host or a
// coordinator). A booked slot's interview is withdrawn first, with the
// interview.cancelled event that tells the applicant, so no application
// keeps an interview whose slot is gone. The slot is marked cancelled
// before anything else, so nobody can book it meanwhile; a booking that
// claimed it just before checks the slot after recording itself (Book)
// and withdraws itself. Running it again after a failure finishes the job.
func (s *Service) CancelSlot(ctx context.Context, c Caller, programID, slotID string) error {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return err
	}
	sl, err := s.store.Slot(ctx, slotID)
	if err != nil || sl.ProgramID != p.ID {
		return domain.NotFound("slot")
	}
	if sl, err = s.store.CancelSlot(ctx, slotID); err != nil {
		return err
	}
	if sl.ApplicationID != "" {
		if err := s.withdrawInterview(ctx, c, sl.ApplicationID, sl.ID); err != nil {
			return err
		}
	}
	return s.store.DeleteSlot(ctx, slotID)
}

// withdrawInterview takes the interview of slotID back from an
// application, if it still holds it.
func (s *Service) withdrawInterview(ctx context.Context, c Caller, applicationID, slotID string) error {
	for range writeAttempts {
		a, err := s.store.Application(ctx, applicationID)
		var nf *domain.NotFoundError
		if errors.As(err, &nf) {
			return nil // erased meanwhile: nothing to take back
		}
		if err != nil {
			return err
		}
		b, held, err := a.WithdrawInterview(slotID, domain.StageChange{At: s.now(), By: c.ID, ByRole: c.Role})
		if err != nil || !held {
			return err
		}
		evs, err := s.interviewEvents(ctx, a, domain.StageScheduled, c, events.InterviewCancelled, b)
		if err != nil {
			return err
		}
		ok, err := s.store.ReviewApplication(ctx, a, evs)
		if err != nil || ok {
			return err
		}
	}
	return errConflictRetry
}

// SlotsView is a program's slots as the caller may see them; Own is true
// for the host and coordinators, who see every slot with its booking.
type SlotsView struct {
	Slots []domain.Slot
	Own   bool
}

// Slots returns a program's interview slots: every one, with bookings,
// for its host and coordinators; for an applicant whose application to the
// program is shortlisted or has an interview, the free future slots and
// the one they hold. Anyone else finds no program.
func (s *Service) Slots(ctx context.Context, c Caller, programID string) (*SlotsView, error) {
	if c.Role != "applicant" {
		p, err := s.hostedProgram(ctx, c, programID)
		if err != nil {
			return nil, err
		}
		all, err := s.store.Slots(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		return &SlotsView{Slots: all, Own: true}, nil
	}
	apps, err := s.store.LiveApplicationsOf(ctx, []string{c.ID})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(apps, func(a domain.Application) bool {
		return a.ProgramID == programID && (a.StageOf() == domain.StageShortlisted || a.StageOf() == domain.StageScheduled)
	})
	if i < 0 {
		return nil, domain.NotFound("program")
	}
	all, err := s.store.Slots(ctx, programID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := []domain.Slot{}
	for _, sl := range all {
		switch {
		case sl.ApplicationID == apps[i].ID:
			out = append(out, sl)
		case sl.Free() && sl.Start.After(now):
			sl.ApplicantID, sl.ApplicationID = "", ""
			out = append(out, sl)
		}
	}
	return &SlotsView{Slots: out}, nil
}

// Book books a slot for one of the caller's shortlisted applications. The
// slot is claimed by one conditional write, so of two applicants booking
// it at once one gets a conflict; the application then records the
// booking with its events. Should that second write fail, the slot is
// released again.
func (s *Service) Book(ctx context.Context, c Caller, id, slotID string) (*domain.Application, error) {
	a, err := s.ownApplication(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if !a.Live() || a.StageOf() != domain.StageShortlisted {
		return nil, &domain.ConflictError{Code: "invalid_stage",
			Detail: "the application is " + a.StageOf() + "; only a shortlisted application can book an interview"}
	}
	sl, err := s.store.Slot(ctx, slotID)
	if err != nil || sl.ProgramID != a.ProgramID {
		return nil, domain.NotFound("slot")
	}
	now := s.now()
	if !sl.Start.After(now) {
		return nil, domain.Conflict("slot_past", "the slot has already started")
	}
	ok, err := s.store.ClaimSlot(ctx, sl.ID, a.ID, a.ApplicantID, now)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Conflict("slot_taken", "someone else booked this slot; choose another")
	}
	booked, err := s.recordBooking(ctx, c, a, sl)
	if err != nil {
		if rerr := s.store.ReleaseSlot(context.WithoutCancel(ctx), sl.ID, a.ID); rerr != nil {
			s.log.Warn("book: release slot", "slot", sl.ID, "err", rerr)
		}
		return nil, err
	}
	// The host may have cancelled the slot between the claim and the
	// record: then the booking takes itself back rather than point at a
	// slot that is gone.
	held, err := s.store.SlotHeld(ctx, sl.ID, a.ID)
	if err != nil {
		return nil, err
	}
	if !held {
		if err := s.withdrawInterview(context.WithoutCancel(ctx), c, a.ID, sl.ID); err != nil {
			return nil, err
		}
		return nil, domain.Conflict("slot_cancelled", "the host cancelled this slot; choose another")
	}
	return booked, nil
}

func (s *Service) recordBooking(ctx context.Context, c Caller, a *domain.Application, sl *domain.Slot) (*domain.Application, error) {
	for attempt := range writeAttempts {
		if attempt > 0 {
			var err error
			if a, err = s.ownApplication(ctx, c, a.ID); err != nil {
				return nil, err
			}
		}
		ch := domain.StageChange{At: s.now(), By: c.ID, ByRole: c.Role}
		from := a.StageOf()
		if err := a.Book(sl.Booking(), ch); err != nil {
			return nil, err
		}
		evs, err := s.interviewEvents(ctx, a, from, c, events.InterviewScheduled, sl.Booking())
		if err != nil {
			return nil, err
		}
		ok, err := s.store.ReviewApplication(ctx, a, evs)
		if err != nil {
			return nil, err
		}
		if ok {
			return a, nil
		}
	}
	return nil, errConflictRetry
}

// CancelBooking cancels the interview of one of the caller's applications,
// at least CancelNotice before it starts, and frees the slot.
func (s *Service) CancelBooking(ctx context.Context, c Caller, id string) (*domain.Application, error) {
	for range writeAttempts {
		a, err := s.ownApplication(ctx, c, id)
		if err != nil {
			return nil, err
		}
		b, err := a.CancelInterview(domain.StageChange{At: s.now(), By: c.ID, ByRole: c.Role})
		if err != nil {
			return nil, err
		}
		evs, err := s.interviewEvents(ctx, a, domain.StageScheduled, c, events.InterviewCancelled, b)
		if err != nil {
			return nil, err
		}
		ok, err := s.store.ReviewApplication(ctx, a, evs)
		if err != nil {
			return nil, err
		}
		if ok {
			return a, s.store.ReleaseSlot(ctx, b.SlotID, a.ID)
		}
	}
	return nil, errConflictRetry
}

// interviewEvents are the application.staged and interview.* events of a
// booking or its cancellation.
func (s *Service) interviewEvents(ctx context.Context, a *domain.Application, from string, c Caller, subject string, b domain.Booking) ([]events.Envelope, error) {
	staged, err := s.stagedEvent(ctx, a, from, c)
	if err != nil {
		return nil, err
	}
	iv, err := s.event(ctx, subject, a.ID, a.Version, matchingev.InterviewScheduled{
		ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID,
		Interview: matchingev.Interview{SlotID: b.SlotID, Start: b.Start, End: b.End, Mode: b.Mode, Location: b.Location},
		ActorID:   c.ID, At: s.now()})
	if err != nil {
		return nil, err
	}
	return []events.Envelope{staged, iv}, nil
}

// InterviewView is an application's booked interview with its program.
type InterviewView struct {
	Application domain.Application
	Program     domain.Program
	Booking     domain.Booking
}

// Interview returns the interview an application holds, for its
// applicant, the host of the program and coordinators.
func (s *Service) Interview(ctx context.Context, c Caller, id string) (*InterviewView, error) {
	a, p, err := s.partyApplication(ctx, c, id)
	if err != nil {
		return nil, err
	}
	if a.Interview == nil {
		return nil, domain.NotFound("interview")
	}
	return &InterviewView{Application: *a, Program: *p, Booking: *a.Interview}, nil
}
