// Package allocation turns a round's data into a matching problem, solves
// it with the engine, certifies the result with the engine's independent
// checker and explains it in words an applicant can check. It is pure
// computation: the app layer loads the data and stores the result.
//
// # The instance
//
// An applicant's order of programs is their rank list, restricted to the
// programs they still have a live application to. An applicant who has
// applications but no rank list (or whose rank list names none of them any
// more) is taken to prefer their applications by score, best first, earlier
// applications first on equal scores.
//
// A pair is acceptable when the applicant's order names the program, the
// applicant is eligible for it (shared/eligibility, ignoring the
// application deadline, which only governs applying) and no coordinator
// rejected the pair and the applicant did not decline the program's offer
// earlier in the round.
//
// A program's order is its host's ranking, if the host made one, followed
// by its other acceptable applicants by score; applicants with equal scores
// are tied, and the engine's seeded lottery orders them.
//
// Scores come from package scoring with a model fitted on the round's own
// applicants and programs, so a run depends only on its data and seed.
package allocation

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/matching/internal/domain"
	"github.com/talentbridge/platform/services/matching/internal/engine"
	"github.com/talentbridge/platform/services/matching/internal/scoring"
	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/explain"
)

// Program is one program of the round.
type Program struct {
	domain.Program
	// Capacity is the number of seats left to give: the program's seats
	// less those held by fixed matches.
	Capacity int
	// HostRanking is the host's order of applicants, if any.
	HostRanking []string
}

// Applicant is one applicant taking part in the run (not holding a fixed
// match).
type Applicant struct {
	Profile domain.Profile
	// Ranked is the applicant's rank list; nil or empty when they have none.
	Ranked []string
	// Applied are the programs of their live applications, in the order
	// they applied.
	Applied []string
	// Excluded are programs of this round the applicant cannot have, with
	// why: domain.OutcomeRejected or domain.OutcomeDeclined.
	Excluded map[string]string
}

// Input is one run's data.
type Input struct {
	Seed     uint64
	Programs []Program
	// Others are programs outside the round that applicants applied to;
	// they are needed to order the applications of applicants without a
	// rank list.
	Others     map[string]domain.Program
	Applicants []Applicant
	// Policy is the round's regions, caps and targets; nil for none.
	Policy *domain.Policy
	Now    time.Time
	// Progress, when not nil, is told when each phase starts.
	Progress func(phase string, progress int)
}

// Proposal is one match the run proposes.
type Proposal struct {
	ApplicantID string
	ProgramID   string
	Choice      int
	Score       float64
	Reasons     []explain.Reason
}

// Outcome is what the run says about one applicant.
type Outcome struct {
	ApplicantID string
	Choices     []string
	ProgramID   string
	Outcome     string
	// Reasons explain, for each program of the round the applicant placed
	// above the one they got (every one, when they got none), why they did
	// not get it.
	Reasons []explain.Reason
}

// Result is a finished run.
type Result struct {
	Proposals   []Proposal
	Outcomes    []Outcome
	Certificate engine.Certificate
	Instance    *engine.Instance
	Matching    *engine.Matching
	// PolicyUse is how the matching used reserves and regions; nil when
	// the round has neither.
	PolicyUse *domain.PolicyUse
}

// Reason codes of round explanations and match reasons.
const (
	CodeFilled      = "round.filled"
	CodeNoSeats     = "round.no_seats"
	CodeNotOnList   = "round.not_on_list"
	CodeNotEligible = "round.not_eligible"
	CodeRejected    = "round.rejected"
	CodeDeclined    = "round.declined"
	CodeExpired     = "round.expired"
	CodeBlocking    = "round.blocking"
	CodeChoice      = "match.choice"
	CodeRank        = "match.rank"
)

// note is why a pair is not acceptable.
type note struct {
	outcome string
	reason  explain.Reason
}

// scorer scores pairs with a model fitted on the run's data. Programs are
// compiled without their deadline: a round runs after applications close.
type scorer struct {
	model *scoring.Model
	now   time.Time
	apps  map[string]*scoring.ApplicantFeatures
	progs map[string]*scoring.ProgramFeatures
	memo  map[[2]string]scoring.Explanation
}

func newScorer(in Input) *scorer {
	var sa []scoring.Applicant
	for _, a := range in.Applicants {
		sa = append(sa, a.Profile.ScoringApplicant())
	}
	var sp []scoring.Program
	add := func(p domain.Program) {
		s := p.ScoringProgram()
		s.ApplicationDeadline = ""
		sp = append(sp, s)
	}
	for _, p := range in.Programs {
		add(p.Program)
	}
	others := slices.Sorted(maps.Keys(in.Others))
	for _, id := range others {
		add(in.Others[id])
	}
	m := scoring.Fit(sa, sp)
	s := &scorer{model: m, now: in.Now, apps: map[string]*scoring.ApplicantFeatures{},
		progs: map[string]*scoring.ProgramFeatures{}, memo: map[[2]string]scoring.Explanation{}}
	for _, a := range sa {
		f := m.CompileApplicant(a)
		s.apps[a.ID] = &f
	}
	for _, p := range sp {
		f := m.CompileProgram(p, in.Now)
		s.progs[p.ID] = &f
	}
	return s
}

// explain scores a pair; a pair it cannot score (an unknown program)
// scores zero.
func (s *scorer) explain(applicantID, programID string) scoring.Explanation {
	key := [2]string{applicantID, programID}
	if e, ok := s.memo[key]; ok {
		return e
	}
	a, p := s.apps[applicantID], s.progs[programID]
	var e scoring.Explanation
	if a != nil && p != nil {
		e = s.model.Explain(a, p, s.now)
	}
	s.memo[key] = e
	return e
}

// choices returns an applicant's order of programs: the rank list
// restricted to live applications, or, when that is empty, the live
// applications by score (best first, then in the order of application).
func choices(a Applicant, sc *scorer) []string {
	applied := make(map[string]bool, len(a.Applied))
	for _, p := range a.Applied {
		applied[p] = true
	}
	var out []string
	for _, p := range a.Ranked {
		if applied[p] && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) > 0 {
		return out
	}
	out = slices.Clone(a.Applied)
	slices.SortStableFunc(out, func(x, y string) int {
		return cmp.Compare(sc.explain(a.Profile.ID, y).Points, sc.explain(a.Profile.ID, x).Points)
	})
	return out
}

// Allocate runs the round.
func Allocate(in Input) (*Result, error) {
	progress := in.Progress
	if progress == nil {
		progress = func(string, int) {}
	}
	sc := newScorer(in)

	progIndex := make(map[string]int, len(in.Programs))
	for i, p := range in.Programs {
		progIndex[p.ID] = i
	}
	inst := &engine.Instance{Seed: in.Seed,
		Applicants: make([]engine.Applicant, len(in.Applicants)),
		Programs:   make([]engine.Program, len(in.Programs))}
	orders := make([][]string, len(in.Applicants))
	notes := map[[2]int]note{}
	// wants[p] are the applicants acceptable to program p.
	wants := make([][]int, len(in.Programs))
	for ai, a := range in.Applicants {
		orders[ai] = choices(a, sc)
		inst.Applicants[ai].ID = a.Profile.ID
		for _, pid := range orders[ai] {
			pi, ok := progIndex[pid]
			if !ok {
				continue // a program of another round
			}
			inst.Applicants[ai].Prefs = append(inst.Applicants[ai].Prefs, pi)
			p := in.Programs[pi]
			if why, excluded := a.Excluded[pid]; excluded {
				notes[[2]int{ai, pi}] = note{outcome: why, reason: excludedReason(why, p.Program)}
				continue
			}
			res := eligibility.Check(a.Profile.EligibilityApplicant(), p.AllocationProgram(), in.Now)
			if !res.Eligible {
				notes[[2]int{ai, pi}] = note{outcome: domain.OutcomeNotEligible, reason: notEligibleReason(p.Program, res.Reasons)}
				continue
			}
			wants[pi] = append(wants[pi], ai)
		}
	}
	hostRanked := make([]map[int]bool, len(in.Programs))
	for pi, p := range in.Programs {
		inst.Programs[pi].ID = p.ID
		inst.Programs[pi].Capacity = max(0, p.Capacity)
		groups, ranked := programOrder(p, wants[pi], in.Applicants, sc)
		hostRanked[pi] = ranked
		inst.Programs[pi].Prefs, inst.Programs[pi].Ranks = engine.FlattenTies(groups)
	}
	held := applyPolicies(inst, in, progIndex)
	for pair, n := range notes {
		inst.Notes = append(inst.Notes, engine.Note{Applicant: pair[0], Program: pair[1], Text: n.reason.Text})
	}
	slices.SortFunc(inst.Notes, func(x, y engine.Note) int {
		return cmp.Or(cmp.Compare(x.Applicant, y.Applicant), cmp.Compare(x.Program, y.Program))
	})

	progress(domain.PhaseSolving, 30)
	m, err := engine.Solve(inst, engine.ApplicantOptimal)
	if err != nil {
		return nil, fmt.Errorf("solve round: %w", err)
	}
	progress(domain.PhaseChecking, 55)
	cert, err := engine.Check(inst, m)
	if err != nil {
		return nil, fmt.Errorf("check round: %w", err)
	}
	progress(domain.PhaseExplaining, 70)
	why, err := engine.Explain(inst, m)
	if err != nil {
		return nil, fmt.Errorf("explain round: %w", err)
	}

	// Positions in each program's order after the lottery, for "ranked you
	// k of n".
	broken := engine.BreakTies(inst)
	pos := make([]map[int]int, len(in.Programs))
	for pi, p := range broken.Programs {
		pos[pi] = make(map[int]int, len(p.Prefs))
		for k, ai := range p.Prefs {
			pos[pi][ai] = k + 1
		}
	}

	use, err := policyUse(inst, m, in, held)
	if err != nil {
		return nil, fmt.Errorf("explain round policies: %w", err)
	}
	res := &Result{Certificate: cert, Instance: inst, Matching: m, PolicyUse: use}
	for ai, a := range in.Applicants {
		id := a.Profile.ID
		out := Outcome{ApplicantID: id, Choices: orders[ai], Reasons: []explain.Reason{}}
		for _, r := range why[ai] {
			prog := in.Programs[r.Program].Program
			if pr, ok := policyReason(r, prog, in.Policy); ok {
				out.Reasons = append(out.Reasons, pr)
				continue
			}
			reason := roundReason(r, prog, notes[[2]int{ai, r.Program}])
			if r.Code == engine.ReasonFilled {
				reason = reserveNote(reason, inst.Programs[r.Program], inst.Applicants[ai].Categories)
			}
			out.Reasons = append(out.Reasons, reason)
		}
		pi := m.ProgramOf[ai]
		if pi == engine.Unmatched {
			out.Outcome = unmatchedOutcome(len(inst.Applicants[ai].Prefs), why[ai], notes, ai)
			res.Outcomes = append(res.Outcomes, out)
			continue
		}
		p := in.Programs[pi]
		out.ProgramID, out.Outcome = p.ID, domain.OutcomeMatched
		res.Outcomes = append(res.Outcomes, out)
		ex := sc.explain(id, p.ID)
		choice := slices.Index(orders[ai], p.ID) + 1
		by := "score"
		if hostRanked[pi][ai] {
			by = "host"
		}
		reasons := []explain.Reason{
			explain.New(CodeChoice, fmt.Sprintf("Your %s choice", ordinal(choice)), "choice", strconv.Itoa(choice)),
			explain.New(CodeRank, fmt.Sprintf("%s ranked you %d of %d (by %s)", p.Title, pos[pi][ai], len(broken.Programs[pi].Prefs), byText(by)),
				"programId", p.ID, "rank", strconv.Itoa(pos[pi][ai]), "of", strconv.Itoa(len(broken.Programs[pi].Prefs)), "by", by),
		}
		res.Proposals = append(res.Proposals, Proposal{ApplicantID: id, ProgramID: p.ID, Choice: choice,
			Score: ex.Score, Reasons: append(reasons, ex.Reasons...)})
	}
	return res, nil
}

func byText(by string) string {
	if by == "host" {
		return "the host's ranking"
	}
	return "score"
}

// programOrder returns a program's order as tie groups, best first: the
// host's ranking, then the others by score with equal scores tied. It also
// reports which applicants the host ranked.
func programOrder(p Program, acceptable []int, apps []Applicant, sc *scorer) ([][]int, map[int]bool) {
	byID := make(map[string]int, len(acceptable))
	for _, ai := range acceptable {
		byID[apps[ai].Profile.ID] = ai
	}
	var groups [][]int
	ranked := map[int]bool{}
	for _, id := range p.HostRanking {
		if ai, ok := byID[id]; ok && !ranked[ai] {
			groups = append(groups, []int{ai})
			ranked[ai] = true
		}
	}
	var rest []int
	for _, ai := range acceptable {
		if !ranked[ai] {
			rest = append(rest, ai)
		}
	}
	points := func(ai int) scoring.Points { return sc.explain(apps[ai].Profile.ID, p.ID).Points }
	slices.SortFunc(rest, func(x, y int) int {
		return cmp.Or(cmp.Compare(points(y), points(x)), cmp.Compare(apps[x].Profile.ID, apps[y].Profile.ID))
	})
	for i := 0; i < len(rest); {
		j := i + 1
		for j < len(rest) && points(rest[j]) == points(rest[i]) {
			j++
		}
		groups = append(groups, slices.Clone(rest[i:j]))
		i = j
	}
	return groups, ranked
}

func excludedReason(why string, p domain.Program) explain.Reason {
	if why == domain.OutcomeExpired {
		return explain.New(CodeExpired, fmt.Sprintf("Your offer from %s in this round expired unanswered", p.Title), "programId", p.ID)
	}
	if why == domain.OutcomeDeclined {
		return explain.New(CodeDeclined, fmt.Sprintf("You declined the offer from %s in this round", p.Title), "programId", p.ID)
	}
	return explain.New(CodeRejected, fmt.Sprintf("A coordinator did not approve your match with %s", p.Title), "programId", p.ID)
}

func notEligibleReason(p domain.Program, unmet []explain.Reason) explain.Reason {
	texts := make([]string, len(unmet))
	codes := make([]string, len(unmet))
	for i, r := range unmet {
		texts[i], codes[i] = r.Text, r.Code
	}
	return explain.New(CodeNotEligible, fmt.Sprintf("Not eligible for %s: %s", p.Title, strings.Join(texts, "; ")),
		"programId", p.ID, "rules", strings.Join(codes, ","))
}

// roundReason words one of the engine's reasons with the program's title.
func roundReason(r engine.Reason, p domain.Program, n note) explain.Reason {
	params := []string{"programId", p.ID, "capacity", strconv.Itoa(r.Capacity),
		"yourRank", strconv.Itoa(r.YourRank), "lastAdmittedRank", strconv.Itoa(r.LastAdmittedRank)}
	switch r.Code {
	case engine.ReasonExcluded:
		return n.reason
	case engine.ReasonFilled:
		text := fmt.Sprintf("%s filled its %d %s with applicants it ranked higher: its last admitted was ranked %d, you %d",
			p.Title, r.Capacity, plural(r.Capacity, "seat", "seats"), r.LastAdmittedRank, r.YourRank)
		if r.Tied {
			text += " (you were tied with them and the round's seeded lottery placed them ahead)"
		}
		return explain.New(CodeFilled, text, append(params, "tied", strconv.FormatBool(r.Tied))...)
	case engine.ReasonNoSeats:
		return explain.New(CodeNoSeats, fmt.Sprintf("%s had no seats left in this round", p.Title), params...)
	case engine.ReasonNotOnList:
		return explain.New(CodeNotOnList, fmt.Sprintf("%s could not consider you in this round", p.Title), params...)
	}
	return explain.New(CodeBlocking, fmt.Sprintf("%s: %s", p.Title, r.Text), params...)
}

// unmatchedOutcome says in one code why an applicant got nothing.
func unmatchedOutcome(ranked int, reasons []engine.Reason, notes map[[2]int]note, ai int) string {
	if ranked == 0 {
		return domain.OutcomeNotRanked
	}
	seen := map[string]bool{}
	for _, r := range reasons {
		switch r.Code {
		case engine.ReasonFilled:
			seen[domain.OutcomeFilled] = true
		case engine.ReasonNoSeats:
			seen[domain.OutcomeNoSeats] = true
		case engine.ReasonExcluded:
			seen[notes[[2]int{ai, r.Program}].outcome] = true
		}
	}
	for _, o := range []string{domain.OutcomeFilled, domain.OutcomeNoSeats, domain.OutcomeRejected,
		domain.OutcomeDeclined, domain.OutcomeExpired, domain.OutcomeNotEligible} {
		if seen[o] {
			return o
		}
	}
	return domain.OutcomeOther
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ordinal writes 1 as "1st", 2 as "2nd" and so on.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
