package app

import (
	"context"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
)

// ExportData is everything the matching service holds about one person, as
// their part of a data export (shared/events/profiles). Field names explain
// themselves; the audit trail (ids only) is not personal data held about
// them and is left out.
type ExportData struct {
	// Profile is this service's copy of the profile, used for scoring and
	// eligibility; nil when it holds none.
	Profile      *ExportProfile      `json:"profileCopy"`
	Applications []ExportApplication `json:"applications"`
	RankList     ExportRanking       `json:"rankList"`
	Matches      []ExportMatch       `json:"matches"`
	Explanations []ExportRound       `json:"roundExplanations"`
	// Messages are the messages the person wrote or received and those
	// of their applications' threads; InterviewSlots the slots they hold.
	Messages       []ExportMessage `json:"messages"`
	InterviewSlots []ExportSlot    `json:"interviewSlots"`
	// MockMatches are the person's would-be matches in coordinators' mock
	// runs: never offered, but kept until the next mock of the round.
	MockMatches []ExportMockMatch `json:"mockMatches"`
}

// ExportMockMatch is one would-be match of a mock run.
type ExportMockMatch struct {
	RoundID   string    `json:"roundId"`
	ProgramID string    `json:"programId"`
	Reasons   any       `json:"reasons"`
	RanAt     time.Time `json:"ranAt"`
}

// ExportMessage is one message.
type ExportMessage struct {
	ID            string    `json:"id"`
	ApplicationID string    `json:"applicationId,omitempty"`
	AuthorID      string    `json:"authorId"`
	AuthorRole    string    `json:"authorRole"`
	Subject       string    `json:"subject,omitempty"`
	Body          string    `json:"body"`
	SentAt        time.Time `json:"sentAt"`
}

// ExportSlot is an interview slot the person booked.
type ExportSlot struct {
	ID            string    `json:"id"`
	ProgramID     string    `json:"programId"`
	ApplicationID string    `json:"applicationId"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Mode          string    `json:"mode"`
	Location      string    `json:"location,omitempty"`
	BookedAt      time.Time `json:"bookedAt"`
}

// ExportStage is one move of an application's review. The host's private
// notes about the person are included: an export holds everything kept
// about them.
type ExportStage struct {
	Stage      string    `json:"stage"`
	At         time.Time `json:"at"`
	By         string    `json:"by,omitempty"`
	ReasonCode string    `json:"reasonCode,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// ExportProfile is the copy of the profile.
type ExportProfile struct {
	ID      string `json:"id"`
	Version int64  `json:"version"`
	domain.ProfileData
}

// ExportApplication is one application.
type ExportApplication struct {
	ID          string          `json:"id"`
	ProgramID   string          `json:"programId"`
	Status      string          `json:"status"`
	SubmittedAt time.Time       `json:"submittedAt"`
	WithdrawnAt *time.Time      `json:"withdrawnAt,omitempty"`
	Stage       string          `json:"stage"`
	History     []ExportStage   `json:"history"`
	DocumentIDs []string        `json:"documentIds"`
	Interview   *domain.Booking `json:"interview,omitempty"`
}

// ExportRanking is the rank list.
type ExportRanking struct {
	ProgramIDs []string   `json:"programIds"`
	UpdatedAt  *time.Time `json:"updatedAt,omitempty"`
}

// ExportMatch is one match with its reasons.
type ExportMatch struct {
	ID        string  `json:"id"`
	RoundID   string  `json:"roundId"`
	ProgramID string  `json:"programId"`
	Status    string  `json:"status"`
	Choice    int     `json:"choice"`
	Score     float64 `json:"score"`
	Reasons   any     `json:"reasons"`
	// RespondBy is the deadline of an offer.
	RespondBy *time.Time `json:"respondBy,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// ExportRound is the person's part in one round.
type ExportRound struct {
	RoundID   string   `json:"roundId"`
	Choices   []string `json:"choices"`
	ProgramID string   `json:"programId,omitempty"`
	Outcome   string   `json:"outcome"`
	Reasons   any      `json:"reasons"`
}

// Export collects what the service holds about userID.
func (s *Service) Export(ctx context.Context, userID string) (*ExportData, error) {
	out := &ExportData{Applications: []ExportApplication{}, Matches: []ExportMatch{}, Explanations: []ExportRound{},
		Messages: []ExportMessage{}, InterviewSlots: []ExportSlot{}, MockMatches: []ExportMockMatch{}}
	p, err := s.store.Profile(ctx, userID)
	switch {
	case err == nil:
		out.Profile = &ExportProfile{ID: p.ID, Version: p.Version, ProfileData: p.ProfileData}
	case !isNotFound(err):
		return nil, err
	}
	apps, err := s.store.ApplicationsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, a := range apps {
		e := ExportApplication{ID: a.ID, ProgramID: a.ProgramID, Status: a.Status, SubmittedAt: a.SubmittedAt,
			Stage: a.StageOf(), History: []ExportStage{}, DocumentIDs: a.DocumentIDs, Interview: a.Interview}
		for _, h := range a.History {
			e.History = append(e.History, ExportStage{Stage: h.Stage, At: h.At, By: h.By, ReasonCode: h.ReasonCode, Reason: h.Reason, Note: h.Note})
		}
		if !a.WithdrawnAt.IsZero() {
			t := a.WithdrawnAt
			e.WithdrawnAt = &t
		}
		out.Applications = append(out.Applications, e)
	}
	ids, at, err := s.store.Ranking(ctx, userID)
	if err != nil {
		return nil, err
	}
	out.RankList.ProgramIDs = ids
	if !at.IsZero() {
		out.RankList.UpdatedAt = &at
	}
	ms, err := s.store.MatchesOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		out.Matches = append(out.Matches, ExportMatch{ID: m.ID, RoundID: m.RoundID, ProgramID: m.ProgramID,
			Status: m.Status, Choice: m.Choice, Score: m.Score, Reasons: m.Reasons, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt})
		if !m.RespondBy.IsZero() {
			rb := m.RespondBy
			out.Matches[len(out.Matches)-1].RespondBy = &rb
		}
	}
	rounds, err := s.store.RoundApplicantsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, e := range rounds {
		out.Explanations = append(out.Explanations, ExportRound{RoundID: e.RoundID, Choices: e.Choices,
			ProgramID: e.ProgramID, Outcome: e.Outcome, Reasons: e.Reasons})
	}
	msgs, err := s.store.MessagesBy(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		out.Messages = append(out.Messages, ExportMessage{ID: m.ID, ApplicationID: m.ApplicationID, AuthorID: m.AuthorID,
			AuthorRole: m.AuthorRole, Subject: m.Subject, Body: m.Body, SentAt: m.SentAt})
	}
	slots, err := s.store.SlotsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, sl := range slots {
		out.InterviewSlots = append(out.InterviewSlots, ExportSlot{ID: sl.ID, ProgramID: sl.ProgramID, ApplicationID: sl.ApplicationID,
			Start: sl.Start, End: sl.End, Mode: sl.Mode, Location: sl.Location, BookedAt: sl.BookedAt})
	}
	mocks, err := s.store.MockMatchesOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, m := range mocks {
		for _, x := range m.Items {
			out.MockMatches = append(out.MockMatches, ExportMockMatch{RoundID: m.RoundID, ProgramID: x.ProgramID, Reasons: x.Reasons, RanAt: m.RanAt})
		}
	}
	return out, nil
}
