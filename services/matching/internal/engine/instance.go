package engine

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"
)

// Instance is one matching problem.
type Instance struct {
	Applicants []Applicant
	Programs   []Program

	// Notes carry the caller's own reasons for pairs it made unacceptable, such as
	// "not eligible: requires JLPT N3". Explain shows a note instead of its generic
	// reason; notes on acceptable pairs are ignored. At most one note per pair.
	Notes []Note

	// Regions cap how many applicants groups of programs admit together (see Region).
	// An instance without regions and without reserves is solved by the plain path.
	Regions []Region

	// Seed drives the lottery that breaks ties in programs' orders. Store it with the
	// result: the same instance and seed always give the same matching.
	Seed uint64
}

// Applicant is one person taking part in a round.
type Applicant struct {
	// ID must be unique and non-empty; the lottery draws by it.
	ID string
	// Prefs are program indices, most preferred first. Programs not listed are unacceptable.
	Prefs []int
	// Categories the applicant belongs to, such as "first_generation"; only categories
	// that some program reserves seats for make a difference.
	Categories []string
}

// Program is one offering with a number of seats.
type Program struct {
	// ID must be unique and non-empty.
	ID       string
	Capacity int
	// Prefs are applicant indices, best first. Applicants not listed are unacceptable.
	Prefs []int
	// Ranks, when not nil, groups Prefs into ties: Ranks[k] is the stated rank of Prefs[k].
	// Ranks must not decrease along the list; applicants with equal ranks are tied and
	// ordered by the lottery. Nil means the order is strict. FlattenTies builds both from
	// tie groups.
	Ranks []int

	// Reserves hold some of the Capacity seats for categories of applicants, in the order
	// listed; ReserveOrder says whether reserved seats are filled after the open ones
	// (the default) or before. See the package documentation for the choice rule.
	Reserves     []Reserve
	ReserveOrder ReserveOrder
	// Target is the number of seats the program fills from its own proposers before its
	// region shares out the rest of its cap; nil means Capacity. It matters only for a
	// program in a region.
	Target *int
}

// Note is the caller's reason why an applicant cannot have a program.
type Note struct {
	Applicant int
	Program   int
	Text      string
}

// FlattenTies turns an order given as tie groups, best group first, into Program.Prefs and
// Program.Ranks. Ranks is nil when every group has a single member.
func FlattenTies(groups [][]int) (prefs, ranks []int) {
	strict := true
	n := 0
	for _, g := range groups {
		n += len(g)
		strict = strict && len(g) <= 1
	}
	prefs = make([]int, 0, n)
	if !strict {
		ranks = make([]int, 0, n)
	}
	for r, g := range groups {
		prefs = append(prefs, g...)
		for range g {
			if !strict {
				ranks = append(ranks, r)
			}
		}
	}
	return prefs, ranks
}

// ErrInvalidInstance is matched by every *ValidationError.
var ErrInvalidInstance = errors.New("invalid instance")

// ErrMismatch means a matching does not belong to the instance it was given with.
var ErrMismatch = errors.New("matching does not fit instance")

// ValidationError names the part of an instance that is wrong.
type ValidationError struct {
	Field   string // e.g. "programs[3].prefs[7]"
	Problem string
}

func (e *ValidationError) Error() string {
	return "invalid instance: " + e.Field + ": " + e.Problem
}

// Is makes errors.Is(err, ErrInvalidInstance) hold for every validation error.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInstance }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// Validate reports the first problem that would make the instance unsolvable: empty or
// duplicate ids, indices out of range, an entry listed twice, negative capacity, ranks that
// decrease, or notes on unknown pairs. It runs in time linear in the size of the instance.
func (in *Instance) Validate() error {
	nA, nP := len(in.Applicants), len(in.Programs)
	// The solver keeps indices and list positions in int32 to halve its memory traffic.
	if nA >= math.MaxInt32 || nP >= math.MaxInt32 {
		return invalid("instance", "too many applicants or programs")
	}

	// The applicants' ids and lists are checked on a second core while the programs'
	// are checked here; the first problem is then reported in the order a single pass
	// would meet it: applicant ids, program ids, applicant lists, program lists.
	var appIDs, appLists error
	appTotal := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		if appIDs = in.validateApplicantIDs(); appIDs == nil {
			appTotal, appLists = in.validateApplicantLists()
		}
	}()
	progIDs := in.validatePrograms()
	progTotal, progLists := in.validateProgramLists()
	<-done
	for _, err := range []error{appIDs, progIDs, appLists, progLists} {
		if err != nil {
			return err
		}
	}
	total := appTotal + progTotal
	if total >= math.MaxInt32 {
		return invalid("instance", "lists hold %d entries, more than the solver supports", total)
	}

	if err := in.validatePolicies(); err != nil {
		return err
	}

	if len(in.Notes) > 0 {
		seen := make(map[[2]int]bool, len(in.Notes))
		for i, n := range in.Notes {
			field := fmt.Sprintf("notes[%d]", i)
			if n.Applicant < 0 || n.Applicant >= nA {
				return invalid(field, "applicant index %d out of range", n.Applicant)
			}
			if n.Program < 0 || n.Program >= nP {
				return invalid(field, "program index %d out of range", n.Program)
			}
			pair := [2]int{n.Applicant, n.Program}
			if seen[pair] {
				return invalid(field, "second note for applicant %q and program %q",
					in.Applicants[n.Applicant].ID, in.Programs[n.Program].ID)
			}
			seen[pair] = true
		}
	}
	return nil
}

// validateApplicantIDs checks that applicant ids are present and unique.
func (in *Instance) validateApplicantIDs() error {
	_, err := uniqueIDs("applicants", len(in.Applicants), func(i int) string { return in.Applicants[i].ID })
	return err
}

// uniqueIDs checks that the n ids of list (id(i) for i in 0…n-1) are present and unique;
// at is the index of the first bad one (n when there is none).
//
// It uses an open-addressing table of indices rather than a Go map: at 10× NRMP size
// (500,000 applicants) filling a map cost about 0.2 s per call, and matchsolve validates
// twice. A slot holds 32 hash bits beside the index, so ids are compared only when those
// bits agree.
func uniqueIDs(list string, n int, id func(i int) string) (at int, err error) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	slots := make([]uint64, size) // hash>>32<<32 | index+1; 0 is empty
	mask := uint64(size - 1)
	seed := maphash.MakeSeed()
	for i := range n {
		s := id(i)
		if s == "" {
			return i, invalid(fmt.Sprintf("%s[%d].id", list, i), "empty id")
		}
		h := maphash.String(seed, s)
		tag := h >> 32 << 32
		for k := h & mask; ; k = (k + 1) & mask {
			e := slots[k]
			if e == 0 {
				slots[k] = tag | uint64(i+1)
				break
			}
			if j := int(uint32(e)) - 1; e&^0xffffffff == tag && id(j) == s {
				return i, invalid(fmt.Sprintf("%s[%d].id", list, i), "duplicate id %q (also %s[%d])", s, list, j)
			}
		}
	}
	return n, nil
}

// validatePrograms checks that program ids are present and unique, capacities are not
// negative and ranks, when given, match the lists in length. The problem reported is the
// first program's with one, its id checked before the rest.
func (in *Instance) validatePrograms() error {
	bad, idErr := uniqueIDs("programs", len(in.Programs), func(i int) string { return in.Programs[i].ID })
	for i, p := range in.Programs[:bad] {
		if p.Capacity < 0 {
			return invalid(fmt.Sprintf("programs[%d].capacity", i), "negative capacity %d", p.Capacity)
		}
		if p.Ranks != nil && len(p.Ranks) != len(p.Prefs) {
			return invalid(fmt.Sprintf("programs[%d].ranks", i), "%d ranks for %d prefs", len(p.Ranks), len(p.Prefs))
		}
	}
	return idErr
}

// validateApplicantLists checks that applicants list real programs, each once, and
// counts the entries.
func (in *Instance) validateApplicantLists() (total int, err error) {
	nP := len(in.Programs)
	// stamp[x] == owner+1 marks x as already listed by the current owner, so no clearing
	// is needed between lists.
	stamp := make([]int32, nP)
	for i, a := range in.Applicants {
		for k, p := range a.Prefs {
			if p < 0 || p >= nP {
				return 0, invalid(fmt.Sprintf("applicants[%d].prefs[%d]", i, k), "program index %d out of range", p)
			}
			if stamp[p] == int32(i+1) {
				return 0, invalid(fmt.Sprintf("applicants[%d].prefs[%d]", i, k), "program %q listed twice", in.Programs[p].ID)
			}
			stamp[p] = int32(i + 1)
		}
		total += len(a.Prefs)
	}
	return total, nil
}

// validateProgramLists checks that programs list real applicants, each once, with ranks
// that do not decrease, and counts the entries. Ranks of the wrong length are left to
// validatePrograms.
func (in *Instance) validateProgramLists() (total int, err error) {
	nA := len(in.Applicants)
	stamp := make([]int32, nA) // as in validateApplicantLists
	for i, p := range in.Programs {
		ranked := p.Ranks != nil && len(p.Ranks) == len(p.Prefs)
		for k, a := range p.Prefs {
			if a < 0 || a >= nA {
				return 0, invalid(fmt.Sprintf("programs[%d].prefs[%d]", i, k), "applicant index %d out of range", a)
			}
			if stamp[a] == int32(i+1) {
				return 0, invalid(fmt.Sprintf("programs[%d].prefs[%d]", i, k), "applicant %q listed twice", in.Applicants[a].ID)
			}
			stamp[a] = int32(i + 1)
			if k > 0 && ranked && p.Ranks[k] < p.Ranks[k-1] {
				return 0, invalid(fmt.Sprintf("programs[%d].ranks[%d]", i, k), "rank %d after rank %d", p.Ranks[k], p.Ranks[k-1])
			}
		}
		total += len(p.Prefs)
	}
	return total, nil
}

// checkMatching reports whether m has the shape of a matching of in.
func checkMatching(in *Instance, m *Matching) error {
	if m == nil || len(m.ProgramOf) != len(in.Applicants) {
		return fmt.Errorf("%w: wrong number of applicants", ErrMismatch)
	}
	for a, p := range m.ProgramOf {
		if p != Unmatched && (p < 0 || p >= len(in.Programs)) {
			return fmt.Errorf("%w: applicant %d has program index %d", ErrMismatch, a, p)
		}
	}
	return nil
}
