package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/allocation"
	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// ApplicationView is an application as its applicant sees it: with the
// program's title and, once the round is published, its match.
type ApplicationView struct {
	domain.Application
	ProgramTitle string
	Match        *domain.Match
}

// Apply makes a live application of the caller to a program: the program
// must be published and open, the caller must have a profile and be
// eligible, and may have only one live application per program.
func (s *Service) Apply(ctx context.Context, c Caller, programID string) (*ApplicationView, error) {
	programID = strings.TrimSpace(programID)
	if programID == "" {
		return nil, &domain.ValidationError{Fields: []domain.FieldError{fielderr.NewRequired("programId")}}
	}
	prof, err := s.store.Profile(ctx, c.ID)
	if isNotFound(err) {
		return nil, &domain.RuleError{Code: "profile_required", Detail: "create your profile before applying"}
	}
	if err != nil {
		return nil, err
	}
	prog, err := s.store.Program(ctx, programID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !prog.OpenAt(now) {
		return nil, domain.Conflict("program_closed", "the program does not take applications")
	}
	if res := eligibility.Check(prof.EligibilityApplicant(), prog.EligibilityProgram(), now); !res.Eligible {
		return nil, &domain.NotEligibleError{ProgramID: prog.ID, Reasons: res.Reasons}
	}
	a := domain.NewApplication(newID(), c.ID, *prog, now)
	ev, err := s.event(ctx, events.ApplicationSubmitted, a.ID, a.Version, matchingev.ApplicationSubmitted{
		ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID, SubmittedAt: now,
	})
	if err != nil {
		return nil, err
	}
	if err := s.store.InsertApplication(ctx, a, []events.Envelope{ev}); err != nil {
		return nil, err
	}
	return &ApplicationView{Application: *a, ProgramTitle: prog.Title}, nil
}

// ownApplication loads an application of the caller; anyone else's is not
// found.
func (s *Service) ownApplication(ctx context.Context, c Caller, id string) (*domain.Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if a.ApplicantID != c.ID {
		return nil, domain.NotFound("application")
	}
	return a, nil
}

// Withdraw withdraws one of the caller's applications and takes the
// program off their rank list and the applicant off the host's ranking.
// While a round holds a seat for them in that program it refuses: the way
// out of a published offer is to decline it.
func (s *Service) Withdraw(ctx context.Context, c Caller, id string) error {
	a, err := s.ownApplication(ctx, c, id)
	if err != nil {
		return err
	}
	matches, err := s.store.MatchesOf(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, m := range matches {
		if m.ProgramID == a.ProgramID && m.Live() && a.Live() {
			return domain.Conflict("match_pending", "a match round holds a seat in this program for you; decline the offer once it is published")
		}
	}
	now := s.now()
	if err := a.Withdraw(now); err != nil {
		return err
	}
	ev, err := s.event(ctx, events.ApplicationWithdrawn, a.ID, a.Version, matchingev.ApplicationWithdrawn{
		ApplicationID: a.ID, ApplicantID: a.ApplicantID, ProgramID: a.ProgramID, HostID: a.HostID, WithdrawnAt: now,
	})
	if err != nil {
		return err
	}
	ok, err := s.store.UpdateApplication(ctx, a, []events.Envelope{ev})
	if err != nil {
		return err
	}
	if !ok {
		return errConflictRetry
	}
	// Rounds read rank lists through live applications, so these are
	// tidying: a failure is logged, not returned.
	if err := s.store.RemoveRanked(ctx, c.ID, a.ProgramID); err != nil {
		s.log.Warn("withdraw: update rank list", "err", err)
	}
	if err := s.store.RemoveProgramRanked(ctx, a.ProgramID, c.ID); err != nil {
		s.log.Warn("withdraw: update host ranking", "err", err)
	}
	return nil
}

// MyApplications returns the caller's applications, oldest first.
func (s *Service) MyApplications(ctx context.Context, c Caller) ([]ApplicationView, error) {
	apps, err := s.store.ApplicationsOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(apps))
	for _, a := range apps {
		ids = append(ids, a.ProgramID)
	}
	progs, err := s.store.Programs(ctx, ids)
	if err != nil {
		return nil, err
	}
	matches, err := s.store.MatchesOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ApplicationView, len(apps))
	for i, a := range apps {
		out[i] = ApplicationView{Application: a, ProgramTitle: progs[a.ProgramID].Title}
		if !a.Live() {
			continue
		}
		for j := range matches {
			if m := &matches[j]; m.ProgramID == a.ProgramID && m.VisibleToApplicant() &&
				(out[i].Match == nil || m.UpdatedAt.After(out[i].Match.UpdatedAt)) {
				out[i].Match = m
			}
		}
	}
	return out, nil
}

// Ranking is a rank list and when it was set.
type Ranking struct {
	IDs       []string
	UpdatedAt time.Time
}

// SetRanking replaces the caller's rank list. An empty list removes it, and
// rounds then take the caller's applications in order of score.
func (s *Service) SetRanking(ctx context.Context, c Caller, programIDs []string) (*Ranking, error) {
	apps, err := s.store.LiveApplicationsOf(ctx, []string{c.ID})
	if err != nil {
		return nil, err
	}
	live := make(map[string]bool, len(apps))
	for _, a := range apps {
		live[a.ProgramID] = true
	}
	if err := domain.ValidateRanking(programIDs, live); err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.store.SetRanking(ctx, c.ID, programIDs, now); err != nil {
		return nil, err
	}
	return &Ranking{IDs: slices.Clone(programIDs), UpdatedAt: now}, nil
}

// MyRanking returns the caller's rank list (empty without one).
func (s *Service) MyRanking(ctx context.Context, c Caller) (*Ranking, error) {
	ids, at, err := s.store.Ranking(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return &Ranking{IDs: ids, UpdatedAt: at}, nil
}

// hostedProgram loads a program the caller may manage: its host's, or any
// for a coordinator. Other hosts' programs are not found.
func (s *Service) hostedProgram(ctx context.Context, c Caller, id string) (*domain.Program, error) {
	p, err := s.store.Program(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.Coordinator() && p.HostID != c.ID {
		return nil, domain.NotFound("program")
	}
	return p, nil
}

// SetProgramRanking replaces the host's ranking of a program's applicants.
func (s *Service) SetProgramRanking(ctx context.Context, c Caller, programID string, applicantIDs []string) (*Ranking, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, err
	}
	applied, err := s.appliedTo(ctx, p.ID, applicantIDs)
	if err != nil {
		return nil, err
	}
	if err := domain.ValidateProgramRanking(applicantIDs, applied); err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.store.SetProgramRanking(ctx, p.ID, applicantIDs, c.ID, now); err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "program.ranking.set",
		EntityType: domain.EntityProgram, EntityID: p.ID})
	return &Ranking{IDs: slices.Clone(applicantIDs), UpdatedAt: now}, nil
}

// ProgramRanking returns the host's ranking of a program (empty without
// one).
func (s *Service) ProgramRanking(ctx context.Context, c Caller, programID string) (*Ranking, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, err
	}
	ids, at, err := s.store.ProgramRanking(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &Ranking{IDs: ids, UpdatedAt: at}, nil
}

// RecommendationView is a recommended program and whether the caller has
// applied to it.
type RecommendationView struct {
	Recommendation
	Applied bool
}

// Recommendations returns the best published, open programs the caller is
// eligible for, with scores and reasons.
func (s *Service) Recommendations(ctx context.Context, c Caller) ([]RecommendationView, error) {
	recs := s.dir.Recommendations(c.ID)
	apps, err := s.store.LiveApplicationsOf(ctx, []string{c.ID})
	if err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	for _, a := range apps {
		applied[a.ProgramID] = true
	}
	out := make([]RecommendationView, len(recs))
	for i, r := range recs {
		out[i] = RecommendationView{Recommendation: r, Applied: applied[r.ID]}
	}
	return out, nil
}

// CandidateView is an applicant shown to a host; Application is their
// live application to the program, when they applied. Limited is set when
// the caller is a host and the applicant did not apply: the caller may then
// see only what the applicant's consent to be found allows (docs/PRIVACY.md),
// which the HTTP layer enforces when it maps the view.
type CandidateView struct {
	Profile     domain.Profile
	Score       float64
	Reasons     []explain.Reason
	Applied     bool
	Application *domain.Application
	Limited     bool
}

// Candidates returns one page of the eligible applicants of a program whom
// the caller may see, best first, and their number. The host of a program
// sees everyone who applied to it and, while it is open, the eligible
// applicants who let hosts find them (FindableByHosts); nobody else appears.
// Once applications have closed only those who applied are listed.
func (s *Service) Candidates(ctx context.Context, c Caller, programID string, offset, limit int) ([]CandidateView, int, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, 0, err
	}
	apps, err := s.store.LiveApplicationsTo(ctx, []string{p.ID})
	if err != nil {
		return nil, 0, err
	}
	applied := make(map[string]*domain.Application, len(apps))
	appliedIDs := make(map[string]bool, len(apps))
	ids := make([]string, 0, len(apps))
	for i, a := range apps {
		applied[a.ApplicantID] = &apps[i]
		appliedIDs[a.ApplicantID] = true
		ids = append(ids, a.ApplicantID)
	}
	view := func(pr domain.Profile, score float64, reasons []explain.Reason) CandidateView {
		a := applied[pr.ID]
		return CandidateView{Profile: pr, Score: score, Reasons: reasons, Applied: a != nil, Application: a,
			Limited: a == nil && !c.Coordinator()}
	}
	if p.OpenAt(s.now()) {
		if cands, total, ok := s.dir.Candidates(p.ID, appliedIDs, offset, limit); ok {
			out := make([]CandidateView, len(cands))
			for i, cd := range cands {
				out[i] = view(cd.Profile, cd.Score, cd.Reasons)
			}
			return out, total, nil
		}
	}
	profs, err := s.store.Profiles(ctx, ids)
	if err != nil {
		return nil, 0, err
	}
	var listed []domain.Profile
	for _, id := range ids {
		if pr, ok := profs[id]; ok && !pr.Erased {
			listed = append(listed, pr)
		}
	}
	scored := allocation.ScoreApplicants(listed, *p, s.now())
	total := len(scored)
	offset = max(0, min(offset, total))
	end := max(offset, min(offset+limit, total))
	out := make([]CandidateView, 0, end-offset)
	for _, sc := range scored[offset:end] {
		out = append(out, view(profs[sc.ApplicantID], sc.Score, sc.Reasons))
	}
	return out, total, nil
}
