package engine

import (
	"fmt"
	"slices"
	"strconv"
)

// ReasonCode says why an applicant did not get a program they ranked higher.
type ReasonCode string

const (
	// ReasonFilled: the program filled its seats with applicants it ranked higher.
	ReasonFilled ReasonCode = "filled"
	// ReasonNoSeats: the program has no seats.
	ReasonNoSeats ReasonCode = "no_seats"
	// ReasonNotOnList: the program did not list the applicant.
	ReasonNotOnList ReasonCode = "not_on_list"
	// ReasonExcluded: the caller made the pair unacceptable and said why in a Note.
	ReasonExcluded ReasonCode = "excluded"
	// ReasonBlocking: the program had room for the applicant or preferred them to someone it
	// admitted. It never appears for a stable matching; Explain reports it rather than
	// invent a reason when given an unstable one.
	ReasonBlocking ReasonCode = "blocking"
)

// Reason explains one program an applicant ranked above the one they got.
type Reason struct {
	Program int // program index
	Code    ReasonCode
	// YourRank is the applicant's position in the program's order after the lottery,
	// counting from 1; 0 when the program does not list them.
	YourRank int
	// LastAdmittedRank is the position of the lowest-ranked applicant the program admitted,
	// counting from 1; 0 when it admitted nobody.
	LastAdmittedRank int
	Capacity         int
	// Tied is true when the program's stated order tied the applicant with its last
	// admitted, so the lottery decided between them.
	Tied bool
	// Note is the caller's text for ReasonExcluded.
	Note string
	// Region and RegionCap name the region and its cap for ReasonRegionCap.
	Region    string
	RegionCap int
	// Category and ReservedSeats name the reserve for ReasonReserved.
	Category      string
	ReservedSeats int
	// Text says the same in an English sentence.
	Text string
}

// Explain says, for each applicant, why they did not get each program they ranked above
// their match (every program they ranked, if unmatched). Reasons come in the applicant's
// preference order. The reasons depend only on the matching, not on how it was found, so
// they hold for any stable matching; m must come from in (same applicants, same seed).
func Explain(in *Instance, m *Matching) ([][]Reason, error) {
	if err := in.Validate(); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	if err := checkMatching(in, m); err != nil {
		return nil, fmt.Errorf("explain: %w", err)
	}
	if m.Seed != in.Seed {
		return nil, fmt.Errorf("explain: %w: matching has seed %d, instance %d", ErrMismatch, m.Seed, in.Seed)
	}
	pr := prepare(in, false)
	var policy *policyView
	if in.HasPolicies() {
		policy = newPolicyView(in, m, pr)
	}

	// The admitted count and the weakest admitted position (0-based) of every program.
	admitted := make([]int, pr.nP)
	weakest := make([]int32, pr.nP)
	for p := range weakest {
		weakest[p] = -1
	}
	// above[a] is how many entries of a's list come before their program.
	above := make([]int32, pr.nA)
	for a, p := range m.ProgramOf {
		lo, hi := pr.aOff[a], pr.aOff[a+1]
		above[a] = hi - lo
		if p == Unmatched {
			continue
		}
		admitted[p]++
		pos := int32(-1) // a's position in p's broken order
		found := false
		for i := lo; i < hi; i++ {
			if pr.aProg[i] == int32(p) {
				above[a] = i - lo
				pos, found = pr.aRank[i], true
				break
			}
		}
		if !found { // a did not list p: an unacceptable match, so look the slow way
			pos = int32(slices.Index(pr.pApp[pr.pOff[p]:pr.pOff[p+1]], int32(a)))
		}
		if pos < 0 {
			// The program does not list this admitted applicant, so it prefers anyone it
			// lists: treat the weakest position as past the end of its list.
			pos = pr.pOff[p+1] - pr.pOff[p]
		}
		weakest[p] = max(weakest[p], pos)
	}

	var notes map[[2]int]string
	if len(in.Notes) > 0 {
		notes = make(map[[2]int]string, len(in.Notes))
		for _, n := range in.Notes {
			notes[[2]int{n.Applicant, n.Program}] = n.Text
		}
	}

	// All reasons share one backing array, and each applicant's texts one string: a large
	// round has hundreds of thousands of reasons, and an allocation each would dominate.
	total := 0
	for _, n := range above {
		total += int(n)
	}
	all := make([]Reason, 0, total)
	out := make([][]Reason, pr.nA)
	var text []byte
	var ends []int
	for a := range out {
		lo := pr.aOff[a]
		if above[a] == 0 {
			continue
		}
		first := len(all)
		text, ends = text[:0], ends[:0]
		for i := lo; i < lo+above[a]; i++ {
			p := int(pr.aProg[i])
			prog := &in.Programs[p]
			r := Reason{Program: p, Capacity: prog.Capacity, YourRank: int(pr.aRank[i]) + 1}
			if admitted[p] > 0 {
				r.LastAdmittedRank = int(weakest[p]) + 1
			}
			note, noted := notes[[2]int{a, p}]
			switch {
			case r.YourRank == 0 && noted:
				r.Code, r.Note = ReasonExcluded, note
			case prog.Capacity == 0:
				r.Code = ReasonNoSeats
			case r.YourRank == 0:
				r.Code = ReasonNotOnList
			case policy != nil:
				policy.policyReason(in, pr, a, p, pr.aRank[i], &r)
				if r.Code == ReasonFilled {
					r.Tied = prog.Ranks != nil && weakest[p] >= 0 && int(weakest[p]) < len(prog.Ranks) &&
						prog.Ranks[pr.aRank[i]] == prog.Ranks[weakest[p]]
				}
			case admitted[p] >= prog.Capacity && pr.aRank[i] > weakest[p]:
				r.Code = ReasonFilled
				r.Tied = prog.Ranks != nil && int(weakest[p]) < len(prog.Ranks) &&
					prog.Ranks[pr.aRank[i]] == prog.Ranks[weakest[p]]
			default:
				r.Code = ReasonBlocking
			}
			if r.Text != "" {
				text = append(text, r.Text...)
			} else {
				text = appendText(text, prog, admitted[p], &r)
			}
			ends = append(ends, len(text))
			all = append(all, r)
		}
		texts := string(text)
		start := 0
		for k, end := range ends {
			all[first+k].Text = texts[start:end]
			start = end
		}
		out[a] = all[first:len(all):len(all)]
	}
	return out, nil
}

// appendText appends r's English sentence.
func appendText(b []byte, prog *Program, admitted int, r *Reason) []byte {
	itoa := strconv.AppendInt
	switch r.Code {
	case ReasonExcluded:
		b = append(b, r.Note...)
	case ReasonNoSeats:
		b = append(b, prog.ID...)
		b = append(b, " has no seats"...)
	case ReasonNotOnList:
		b = append(b, "you were not on "...)
		b = append(b, prog.ID...)
		b = append(b, "'s list"...)
	case ReasonFilled:
		b = append(b, prog.ID...)
		b = append(b, " filled its "...)
		b = itoa(b, int64(prog.Capacity), 10)
		if prog.Capacity == 1 {
			b = append(b, " seat"...)
		} else {
			b = append(b, " seats"...)
		}
		b = append(b, " with applicants it ranked higher; its last admitted was ranked "...)
		b = itoa(b, int64(r.LastAdmittedRank), 10)
		b = append(b, ", you "...)
		b = itoa(b, int64(r.YourRank), 10)
		if r.Tied {
			b = append(b, " (you were tied in its order and the seeded lottery placed them ahead)"...)
		}
	case ReasonBlocking:
		b = append(b, prog.ID...)
		if admitted < prog.Capacity {
			b = append(b, " had a free seat and listed you; this pair blocks the matching"...)
		} else {
			b = append(b, " ranked you "...)
			b = itoa(b, int64(r.YourRank), 10)
			b = append(b, ", above its last admitted at "...)
			b = itoa(b, int64(r.LastAdmittedRank), 10)
			b = append(b, "; this pair blocks the matching"...)
		}
	}
	return b
}
