// Package enginetest builds matching instances for tests, fuzzing and benchmarks: small
// random ones for property tests, ones decoded from fuzz bytes, and large NRMP-like ones.
// Everything here is deterministic for a given seed.
package enginetest

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// Options shape a random instance.
type Options struct {
	Applicants, Programs int
	// MaxCapacity bounds capacities, drawn uniformly from 0…MaxCapacity.
	MaxCapacity int
	// Capacities, when not nil, are used instead of drawn ones; one per program.
	Capacities []int
	// ListProb is the chance that an applicant lists a given program.
	ListProb float64
	// MutualProb is the chance that a program lists an applicant who listed it; it lists
	// the others with chance ListProb/4, so some listings are one-sided.
	MutualProb float64
	// TieProb is the chance that an entry of a program's order ties with the one before.
	TieProb float64
}

// Random returns a random instance drawn from r, including its lottery seed.
func Random(r *rand.Rand, o Options) *engine.Instance {
	in := &engine.Instance{
		Applicants: make([]engine.Applicant, o.Applicants),
		Programs:   make([]engine.Program, o.Programs),
		Seed:       r.Uint64(),
	}
	for a := range in.Applicants {
		in.Applicants[a] = engine.Applicant{ID: "a" + strconv.Itoa(a), Prefs: subset(r, o.Programs, o.ListProb)}
	}
	for p := range in.Programs {
		var prefs []int
		for a, app := range in.Applicants {
			prob := o.ListProb / 4
			if slices.Contains(app.Prefs, p) {
				prob = o.MutualProb
			}
			if r.Float64() < prob {
				prefs = append(prefs, a)
			}
		}
		r.Shuffle(len(prefs), func(i, j int) { prefs[i], prefs[j] = prefs[j], prefs[i] })
		capacity := r.IntN(o.MaxCapacity + 1)
		if o.Capacities != nil {
			capacity = o.Capacities[p]
		}
		in.Programs[p] = engine.Program{
			ID:       "p" + strconv.Itoa(p),
			Capacity: capacity,
			Prefs:    prefs,
			Ranks:    ties(len(prefs), func() bool { return r.Float64() < o.TieProb }),
		}
	}
	return in
}

// subset returns a random selection of 0…n-1, each kept with probability prob, shuffled.
func subset(r *rand.Rand, n int, prob float64) []int {
	var s []int
	for i := range n {
		if r.Float64() < prob {
			s = append(s, i)
		}
	}
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

// ties returns ranks for a list of n where tie() decides whether an entry shares the rank of
// the one before it, or nil when no entry does.
func ties(n int, tie func() bool) []int {
	ranks := make([]int, n)
	tied := false
	for k := 1; k < n; k++ {
		ranks[k] = ranks[k-1] + 1
		if tie() {
			ranks[k] = ranks[k-1]
			tied = true
		}
	}
	if !tied {
		return nil
	}
	return ranks
}

// FromBytes turns arbitrary bytes into a small valid instance (up to 7 applicants and 4
// programs, capacities 0…5, incomplete lists, ties), so a fuzzer can explore instances.
// Missing bytes read as zero.
func FromBytes(data []byte) *engine.Instance {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	nA, nP := next()%8, next()%5
	in := &engine.Instance{
		Applicants: make([]engine.Applicant, nA),
		Programs:   make([]engine.Program, nP),
		Seed:       uint64(next()),
	}
	// pick lists the members of 0…n-1 whose bit is set in a mask byte, in an order
	// shuffled by the following bytes.
	pick := func(n int) []int {
		mask := next()
		var s []int
		for i := range n {
			if mask&(1<<i) != 0 {
				s = append(s, i)
			}
		}
		for i := len(s) - 1; i > 0; i-- {
			j := next() % (i + 1)
			s[i], s[j] = s[j], s[i]
		}
		return s
	}
	for a := range in.Applicants {
		in.Applicants[a] = engine.Applicant{ID: "a" + strconv.Itoa(a), Prefs: pick(nP)}
	}
	for p := range in.Programs {
		capacity := next() % 6
		prefs := pick(nA)
		tieBits := next()
		k := 0
		in.Programs[p] = engine.Program{
			ID:       "p" + strconv.Itoa(p),
			Capacity: capacity,
			Prefs:    prefs,
			Ranks: ties(len(prefs), func() bool {
				k++
				return tieBits&(1<<k) != 0
			}),
		}
	}
	return in
}

// NRMPOptions shape a large instance like a national residency match.
type NRMPOptions struct {
	Applicants int
	// Programs defaults to 13% of Applicants: 6,500 for 50,000, as in the NRMP.
	Programs int
	// ListLength is how many programs each applicant ranks; default 20.
	ListLength int
	// TieProb is the chance that an entry of a program's order ties with the one before.
	TieProb float64
	Seed    uint64
}

// NRMP returns a deterministic NRMP-like instance. Applicants pick programs with a
// popularity skew (weight 1/sqrt(rank+10)) and order them by popularity plus personal
// noise; each program ranks every applicant who listed it by a shared applicant quality
// plus its own noise, so programs broadly agree, as they do in practice. Capacities are
// 1…15 seats, summing to about the number of applicants at the default program count.
func NRMP(o NRMPOptions) *engine.Instance {
	if o.Programs == 0 {
		o.Programs = max(1, o.Applicants*13/100)
	}
	if o.ListLength == 0 {
		o.ListLength = 20
	}
	listLen := min(o.ListLength, o.Programs)
	r := rand.New(rand.NewPCG(o.Seed, 0x6d6174636873))

	cum := make([]float64, o.Programs)
	appeal := make([]float64, o.Programs)
	total := 0.0
	for p := range cum {
		w := 1 / math.Sqrt(float64(p+10))
		appeal[p] = math.Log(w)
		total += w
		cum[p] = total
	}

	in := &engine.Instance{
		Applicants: make([]engine.Applicant, o.Applicants),
		Programs:   make([]engine.Program, o.Programs),
		Seed:       o.Seed,
	}
	listedBy := make([][]int, o.Programs)
	score := make([]float64, o.Programs)
	for a := range in.Applicants {
		prefs := make([]int, 0, listLen)
		for len(prefs) < listLen {
			p := sort.SearchFloat64s(cum, r.Float64()*total)
			if p < o.Programs && !slices.Contains(prefs, p) {
				prefs = append(prefs, p)
				score[p] = appeal[p] + 0.5*r.NormFloat64()
			}
		}
		slices.SortFunc(prefs, func(x, y int) int { return -cmpFloat(score[x], score[y]) })
		for _, p := range prefs {
			listedBy[p] = append(listedBy[p], a)
		}
		in.Applicants[a] = engine.Applicant{ID: "a" + strconv.Itoa(a), Prefs: prefs}
	}

	quality := make([]float64, o.Applicants)
	for a := range quality {
		quality[a] = r.NormFloat64()
	}
	key := make([]float64, o.Applicants)
	for p := range in.Programs {
		prefs := listedBy[p]
		for _, a := range prefs {
			key[a] = quality[a] + 0.7*r.NormFloat64()
		}
		slices.SortFunc(prefs, func(x, y int) int { return -cmpFloat(key[x], key[y]) })
		in.Programs[p] = engine.Program{
			ID:       "p" + strconv.Itoa(p),
			Capacity: 1 + r.IntN(15),
			Prefs:    prefs,
			Ranks:    ties(len(prefs), func() bool { return o.TieProb > 0 && r.Float64() < o.TieProb }),
		}
	}
	return in
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Entries is the total length of all lists, the size that solving time should scale with.
func Entries(in *engine.Instance) int {
	n := 0
	for _, a := range in.Applicants {
		n += len(a.Prefs)
	}
	for _, p := range in.Programs {
		n += len(p.Prefs)
	}
	return n
}
