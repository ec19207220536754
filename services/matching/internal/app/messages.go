package app

import (
	"context"
	"slices"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
)

// Messages: one thread per application between its applicant, the host of
// the program and coordinators; bulk messages from coordinators (or a host,
// to their own program's applicants) that reach each person once.

// Thread returns an application's messages, oldest first.
func (s *Service) Thread(ctx context.Context, c Caller, id string) ([]domain.Message, error) {
	a, _, err := s.partyApplication(ctx, c, id)
	if err != nil {
		return nil, err
	}
	return s.store.Thread(ctx, a.ID)
}

// PostMessage writes a message in an application's thread. It reaches the
// other parties: the applicant and the host of the program (coordinators
// read every thread).
func (s *Service) PostMessage(ctx context.Context, c Caller, id, body string) (*domain.Message, error) {
	_, body, err := domain.MessageText("", body, false)
	if err != nil {
		return nil, err
	}
	a, p, err := s.partyApplication(ctx, c, id)
	if err != nil {
		return nil, err
	}
	m := &domain.Message{ID: newID(), ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: p.HostID,
		AuthorID: c.ID, AuthorRole: c.Role, Body: body, RecipientIDs: domain.Recipients(c.ID, a.ApplicantID, p.HostID), SentAt: s.now()}
	if err := s.sendMessage(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Service) sendMessage(ctx context.Context, m *domain.Message) error {
	ev, err := s.event(ctx, events.MessageSent, m.ID, 1, matchingev.MessageSent{
		MessageID: m.ID, ApplicationID: m.ApplicationID, ProgramID: m.ProgramID, SenderID: m.AuthorID, SenderRole: m.AuthorRole,
		RecipientIDs: m.RecipientIDs, Bulk: m.Bulk, Subject: m.Subject, At: m.SentAt})
	if err != nil {
		return err
	}
	return s.store.InsertMessage(ctx, m, []events.Envelope{ev})
}

// Bulk writes one message to everyone the audience picks, each once.
// Coordinators may pick any audience; a host must name a program they
// host (another host's program is not found) and may not pick by round.
func (s *Service) Bulk(ctx context.Context, c Caller, aud domain.Audience, subject, body string) (*domain.Message, error) {
	subject, body, err := domain.MessageText(subject, body, true)
	if err != nil {
		return nil, err
	}
	if err := aud.Check(); err != nil {
		return nil, err
	}
	if !c.Coordinator() && (aud.ProgramID == "" || aud.RoundID != "") {
		return nil, &domain.ForbiddenError{Detail: "a host writes to the applicants of one of their programs: give audience.programId and no roundId"}
	}
	if aud.ProgramID != "" {
		if _, err := s.hostedProgram(ctx, c, aud.ProgramID); err != nil {
			return nil, err
		}
	}
	people, err := s.audience(ctx, aud)
	if err != nil {
		return nil, err
	}
	m := &domain.Message{ID: newID(), ProgramID: aud.ProgramID, AuthorID: c.ID, AuthorRole: c.Role, Subject: subject, Body: body,
		Bulk: true, RecipientIDs: domain.Recipients(c.ID, people...), SentAt: s.now()}
	if err := s.sendMessage(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// audience returns the people an audience picks (with repeats, which
// Recipients removes). Applications are picked by program and stage;
// matches by round and status; where both kinds of field are given, a
// person must be picked by both.
func (s *Service) audience(ctx context.Context, aud domain.Audience) ([]string, error) {
	var byApp, byMatch map[string]bool
	if aud.ProgramID != "" || aud.Stage != "" {
		var programs []string
		if aud.ProgramID != "" {
			programs = []string{aud.ProgramID}
		}
		apps, err := s.store.LiveApplicationsAt(ctx, programs, aud.Stage)
		if err != nil {
			return nil, err
		}
		byApp = map[string]bool{}
		for _, a := range apps {
			byApp[a.ApplicantID] = true
		}
	}
	if aud.RoundID != "" || aud.MatchStatus != "" {
		ms, err := s.audienceMatches(ctx, aud)
		if err != nil {
			return nil, err
		}
		byMatch = map[string]bool{}
		for _, m := range ms {
			if (aud.MatchStatus == "" || m.Status == aud.MatchStatus) && (aud.ProgramID == "" || m.ProgramID == aud.ProgramID) {
				byMatch[m.ApplicantID] = true
			}
		}
	}
	out := []string{}
	defer slices.Sort(out)
	switch {
	case byApp != nil && byMatch != nil:
		for id := range byApp {
			if byMatch[id] {
				out = append(out, id)
			}
		}
	case byApp != nil:
		for id := range byApp {
			out = append(out, id)
		}
	default:
		for id := range byMatch {
			out = append(out, id)
		}
	}
	return out, nil
}

// audiencePage is how many matches audienceMatches reads at a time.
const audiencePage = 1000

// audienceMatches returns the matches of the audience's round, or, with
// only a status, every match of that status; a round with no status
// picks its participants too, matched or not.
func (s *Service) audienceMatches(ctx context.Context, aud domain.Audience) ([]domain.Match, error) {
	if aud.RoundID == "" {
		var out []domain.Match
		f := MatchFilter{Status: aud.MatchStatus}
		for {
			ms, _, err := s.store.ListMatches(ctx, f, 1, audiencePage)
			if err != nil {
				return nil, err
			}
			out = append(out, ms...)
			if len(ms) < audiencePage {
				return out, nil
			}
			f.After = ms[len(ms)-1].ID
		}
	}
	if _, err := s.store.Round(ctx, aud.RoundID); err != nil {
		return nil, err
	}
	ms, err := s.store.MatchesOfRound(ctx, aud.RoundID)
	if err != nil || aud.MatchStatus != "" {
		return ms, err
	}
	parts, err := s.store.RoundApplicants(ctx, aud.RoundID)
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		ms = append(ms, domain.Match{ApplicantID: p.ApplicantID, ProgramID: p.ProgramID})
	}
	return ms, nil
}

// MyMessages returns the bulk messages that reached the caller.
func (s *Service) MyMessages(ctx context.Context, c Caller) ([]domain.Message, error) {
	return s.store.MessagesTo(ctx, c.ID)
}
