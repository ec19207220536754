package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/rankimport"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/events"
	matchingev "github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/explain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// ImportError refuses an import: every line with a problem, nothing
// written.
type ImportError struct {
	Problems []rankimport.Problem
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import refused: %d lines have problems", len(e.Problems))
}

// ImportProgramRanking replaces the ranking of a program the caller
// manages with the applicants of the file, in order. Each line names an
// applicant by id or by the e-mail address of an imported profile, who must
// have a live application to the program. Every line is checked before
// anything is written; any problem refuses the whole file.
func (s *Service) ImportProgramRanking(ctx context.Context, c Caller, programID string, refs []rankimport.Ref) (*Ranking, error) {
	p, err := s.hostedProgram(ctx, c, programID)
	if err != nil {
		return nil, err
	}
	if len(refs) > domain.MaxHostRanked {
		return nil, &ImportError{Problems: []rankimport.Problem{fielderr.NewTooManyRows(domain.MaxHostRanked).At(refs[domain.MaxHostRanked].Line).
			Because("a program may rank at most %d applicants", domain.MaxHostRanked)}}
	}
	ids, problems, err := s.resolveRefs(ctx, refs)
	if err != nil {
		return nil, err
	}
	applied, err := s.appliedTo(ctx, p.ID, ids)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]int, len(ids))
	for i, id := range ids {
		if id == "" {
			continue // not resolved: reported already
		}
		line := refs[i].Line
		switch first, dup := seen[id]; {
		case dup:
			problems = append(problems, fielderr.NewDuplicateLine("", first).At(line).Because("names the same applicant as line %d", first))
		case !applied[id]:
			problems = append(problems, fielderr.NewNotAvailable("").At(line).Because("is not an applicant with a live application to this program"))
		default:
			seen[id] = line
		}
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, &ImportError{Problems: problems}
	}
	now := s.now()
	if err := s.store.SetProgramRanking(ctx, p.ID, ids, c.ID, now); err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "program.ranking.imported",
		EntityType: domain.EntityProgram, EntityID: p.ID})
	return &Ranking{IDs: ids, UpdatedAt: now}, nil
}

// resolveRefs turns each line's reference into an applicant id, looking
// e-mail addresses up among imported profiles in one query. An unknown
// address leaves an empty id and a problem.
func (s *Service) resolveRefs(ctx context.Context, refs []rankimport.Ref) ([]string, []rankimport.Problem, error) {
	var emails []string
	for _, r := range refs {
		if r.Email != "" {
			emails = append(emails, r.Email)
		}
	}
	byEmail, err := s.store.ProfileIDsByEmail(ctx, emails)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, len(refs))
	var problems []rankimport.Problem
	for i, r := range refs {
		if r.Email == "" {
			ids[i] = r.ID
			continue
		}
		if id, ok := byEmail[r.Email]; ok {
			ids[i] = id
		} else {
			problems = append(problems, fielderr.NewNotFound("").At(r.Line).Because("no imported profile has the e-mail address %s", r.Email))
		}
	}
	return ids, problems, nil
}

func sortProblems(ps []rankimport.Problem) {
	slices.SortStableFunc(ps, func(a, b rankimport.Problem) int { return a.Line - b.Line })
}

// RankImport is what a round's rank-list import did.
type RankImport struct {
	Applicants   int
	Applications int
}

// ImportRoundRanks records, for a coordinator, the rank lists of a round's
// applicants gathered elsewhere: each row names an applicant (by id, or by
// the e-mail of an imported profile) and programs of the round in rank
// order. Missing applications are recorded on the applicants' behalf and
// shown to them as such; the rank list replaces theirs. Every row is
// checked first (applicant known, programs in the round, eligible, no
// applicant twice); any problem refuses the whole file. The writes are
// two bulk writes. Each applicant hears of the applications recorded for
// them in one applications.imported event, not one event per application.
func (s *Service) ImportRoundRanks(ctx context.Context, c Caller, roundID string, rows []rankimport.RankRow) (*RankImport, error) {
	r, err := s.store.Round(ctx, roundID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if r.Status == domain.RoundPublished || r.Running(now) {
		return nil, domain.Conflict("round_closed", "rank lists can be imported only before a round runs or between runs, not once it is running or published")
	}
	refs := make([]rankimport.Ref, len(rows))
	for i, row := range rows {
		refs[i] = row.Ref
	}
	ids, problems, err := s.resolveRefs(ctx, refs)
	if err != nil {
		return nil, err
	}
	known := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" {
			known = append(known, id)
		}
	}
	profiles, err := s.store.Profiles(ctx, known)
	if err != nil {
		return nil, err
	}
	programs, err := s.store.Programs(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	// Who already applied where, from the read model keyed by program: a
	// national round's import file would otherwise read every application
	// on the embedded store. A pair the read model misses is recorded
	// again below and skipped by the store as already live.
	live, err := s.store.ProgramApplicantsOf(ctx, r.ProgramIDs)
	if err != nil {
		return nil, err
	}
	applied := map[string]bool{}
	for pid, as := range live {
		for _, a := range as {
			applied[a+" "+pid] = true
		}
	}

	inRound := make(map[string]bool, len(r.ProgramIDs))
	for _, pid := range r.ProgramIDs {
		inRound[pid] = true
	}
	var apps []domain.Application
	ranks := make(map[string][]string, len(rows))
	seen := make(map[string]int, len(rows))
	for i, row := range rows {
		id := ids[i]
		if id == "" {
			continue // unknown e-mail: reported already
		}
		prof, ok := profiles[id]
		if !ok {
			problems = append(problems, fielderr.NewNotFound("").At(row.Line).Because("applicant %s has no profile", id))
			continue
		}
		if first, dup := seen[id]; dup {
			problems = append(problems, fielderr.NewDuplicateLine("", first).At(row.Line).Because("names the same applicant as line %d", first))
			continue
		}
		seen[id] = row.Line
		rowOK := true
		var rowApps []domain.Application
		for _, pid := range row.ProgramIDs {
			prog, ok := programs[pid]
			if !ok || !inRound[pid] {
				problems = append(problems, fielderr.NewNotAvailable("").At(row.Line).Because("program %s is not in this round", pid))
				rowOK = false
				continue
			}
			if res := eligibility.Check(prof.EligibilityApplicant(), prog.AllocationProgram(), now); !res.Eligible {
				problems = append(problems, fielderr.New("", fielderr.NotEligible, nil, "").At(row.Line).Because("applicant is not eligible for program %s: %s", pid, reasonText(res.Reasons)))
				rowOK = false
				continue
			}
			if !applied[id+" "+pid] {
				a := domain.NewApplication(newID(), id, prog, now)
				a.RecordedBy = c.ID
				rowApps = append(rowApps, *a)
			}
		}
		if !rowOK {
			continue
		}
		apps = append(apps, rowApps...)
		ranks[id] = slices.Clone(row.ProgramIDs)
	}
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, &ImportError{Problems: problems}
	}
	announce := func(applicantID string, rec []domain.Application) (events.Envelope, error) {
		p := matchingev.ApplicationsImported{ApplicantID: applicantID, RoundID: r.ID, RoundName: r.Name,
			RecordedBy: c.ID, SubmittedAt: now, Applications: make([]matchingev.ImportedApplication, len(rec))}
		for i, a := range rec {
			p.Applications[i] = matchingev.ImportedApplication{ApplicationID: a.ID, ProgramID: a.ProgramID, HostID: a.HostID}
		}
		return s.event(ctx, events.ApplicationsImported, applicantID, 1, p)
	}
	recorded, err := s.store.ImportRanks(ctx, apps, ranks, announce, now)
	if err != nil {
		return nil, err
	}
	s.audit(ctx, domain.AuditEntry{At: now, ActorID: c.ID, ActorRole: c.Role, Action: "round.ranks.imported",
		EntityType: domain.EntityRound, EntityID: r.ID, Note: fmt.Sprintf("%d applicants, %d applications recorded", len(ranks), recorded)})
	return &RankImport{Applicants: len(ranks), Applications: recorded}, nil
}

// reasonText joins the English texts of unmet eligibility rules.
func reasonText(rs []explain.Reason) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Text
	}
	return strings.Join(out, "; ")
}

// appliedTo returns the applicants with a live application to a program,
// at least those among want that have one. It reads the store's read model
// by the program's id (one lookup, however many applications are stored);
// only when some of want are missing from it does it ask the applications
// themselves, which on the embedded store reads every one of them, and it
// puts what it finds back into the read model. The read model may lag (an
// application stored just before a crash, or before the read model
// existed) but never names a withdrawn applicant, so this answers as the
// applications would.
func (s *Service) appliedTo(ctx context.Context, programID string, want []string) (map[string]bool, error) {
	known, err := s.store.ProgramApplicants(ctx, programID)
	if err != nil {
		return nil, err
	}
	applied := make(map[string]bool, len(known))
	for _, a := range known {
		applied[a] = true
	}
	complete := true
	for _, id := range want {
		if id != "" && !applied[id] {
			complete = false
			break
		}
	}
	if complete {
		return applied, nil
	}
	live, err := s.store.LiveApplicantsTo(ctx, programID)
	if err != nil {
		return nil, err
	}
	var lagging []string
	exact := make(map[string]bool, len(live))
	for _, a := range live {
		exact[a] = true
		if !applied[a] {
			lagging = append(lagging, a)
		}
	}
	if len(lagging) > 0 {
		if err := s.store.AddProgramApplicants(ctx, map[string][]string{programID: lagging}); err != nil {
			return nil, err
		}
	}
	return exact, nil
}
