package scoring

import (
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/textnorm"
)

// Compact ids for reference data, taken from the taxonomy's fixed orders.
var (
	fieldBit     = map[string]uint64{} // code → its own bit
	majorBit     = map[string]uint64{} // code → the bit of its major field
	underMajor   = map[string]uint64{} // major code → its bit and its subfields' bits
	langIndex    = map[string]int{}
	scaleTop     [32]int8           // by language index: rank of "native"
	regionIndex  = map[string]int{} // country + "/" + canonical name → id < 128
	countryIndex = map[string]int{}
)

// unknownBit stands for a kind, country or degree level that is not in the
// taxonomy: it is accepted only where a program sets no rule, as in Check.
const unknownBit = 1 << 7

func init() {
	fs := taxonomy.Fields()
	if len(fs) > 64 {
		panic("scoring: more than 64 fields do not fit a uint64 mask")
	}
	for i, f := range fs {
		fieldBit[f.Code] = 1 << i
	}
	for _, f := range fs {
		majorBit[f.Code] = fieldBit[f.Major()]
		underMajor[f.Major()] |= fieldBit[f.Code]
	}
	for i, l := range taxonomy.Languages() {
		langIndex[l.Code] = i
		s, _ := taxonomy.ScaleFor(l.Code)
		scaleTop[i] = int8(s.Top())
	}
	for i, c := range taxonomy.Countries() {
		countryIndex[c.Code] = i
		for _, r := range taxonomy.Regions(c.Code) {
			regionIndex[c.Code+"/"+r.Name] = len(regionIndex)
		}
	}
	if len(regionIndex) > 128 || len(langIndex) > 32 {
		panic("scoring: region or language ids do not fit their masks")
	}
}

func enumBit(e *taxonomy.Enum, code string) uint8 {
	if i := e.Index(code); i >= 0 {
		return 1 << i
	}
	return unknownBit
}

// enumMask is the set of codes a rule accepts; an empty rule accepts all,
// including unknown codes.
func enumMask(e *taxonomy.Enum, codes []string) uint8 {
	if len(codes) == 0 {
		return 0xFF
	}
	var m uint8
	for _, c := range codes {
		if i := e.Index(c); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}

func countryBit(code string) uint8 {
	if i, ok := countryIndex[code]; ok {
		return 1 << i
	}
	return unknownBit
}

func lookupRegion(country, name string) int {
	r, ok := taxonomy.LookupRegion(country, name)
	if !ok {
		return -1
	}
	return regionIndex[country+"/"+r.Name]
}

// Day bounds: a missing bound is a day far outside any real date; an
// unreadable availability is an empty window (From > To), which overlaps
// no dated program, as eligibility.Check decides.
const (
	openFrom = -1 << 30
	openTo   = 1 << 30
)

func clampDay(d int) int32 { return int32(max(openFrom, min(openTo, d))) }

// ApplicantFeatures is an applicant compiled for fast scoring: enumerations
// as bits, languages as a bitset of levels met, dates as day numbers, text as
// a sparse vector. The zero value is never eligible for anything, which is
// how removed applicants are kept in place.
type ApplicantFeatures struct {
	src *Applicant

	countryBit, kindBit, degreeBit uint8
	prefKinds                      uint8 // 0: no preference stated
	hasRegionPrefs                 bool
	birthYear                      int32 // math.MinInt32 when not given
	from, to                       int32 // availability, days since 1970-01-01
	fieldExact, fieldMajor         uint64
	// meets has bit lang*8+rank set for every rank at or below the
	// applicant's best level in that language, so a program's requirements
	// are met when req &^ meets is empty.
	meets       [4]uint64
	rank        [32]int8 // best level rank by language index; -1 when none
	prefRegions [2]uint64

	terms  []TermWeight
	skills []int32 // sorted, distinct
}

// Source returns the applicant the features were compiled from.
func (a *ApplicantFeatures) Source() *Applicant { return a.src }

// Terms returns the applicant's text vector, sorted by term id. Callers must
// not modify it.
func (a *ApplicantFeatures) Terms() []TermWeight { return a.terms }

// SkillIDs returns the applicant's distinct skill ids, sorted. Callers must
// not modify it.
func (a *ApplicantFeatures) SkillIDs() []int32 { return a.skills }

// ProgramFeatures is a program compiled for fast scoring, with its
// eligibility rules turned into masks and bounds. The zero value is never
// eligible.
type ProgramFeatures struct {
	// Fields read for every pair come first, so a program's hot data spans
	// two cache lines; the rest is read once per program or per explanation.
	live                       bool // false when the program can take no one (see Open)
	countries, kinds, degrees  uint8
	kindBit                    uint8
	hasDates                   bool
	hostLang                   int8 // language index of the host's working language; -1 unknown
	nreq                       uint8
	region                     int16
	nskills                    uint16
	minBirthYear, maxBirthYear int32
	start, end                 int32
	span                       int32  // program days when both dates are given, else 0
	spanRecip                  uint64 // q·2^32/span, see datePoints
	fieldFull, fieldMajor      uint64
	req                        [4]uint64

	closesAt int64 // unix seconds; math.MaxInt64 without a deadline
	src      *Program
	terms    []TermWeight
	skills   []int32
}

// Source returns the program the features were compiled from.
func (p *ProgramFeatures) Source() *Program { return p.src }

// Terms returns the program's text vector, sorted by term id.
func (p *ProgramFeatures) Terms() []TermWeight { return p.terms }

// SkillIDs returns the program's distinct skill ids, sorted.
func (p *ProgramFeatures) SkillIDs() []int32 { return p.skills }

// ClosesAt returns when applications close, and false when they never do.
func (p *ProgramFeatures) ClosesAt() (time.Time, bool) {
	if p.closesAt == math.MaxInt64 {
		return time.Time{}, false
	}
	return time.Unix(p.closesAt, 0), true
}

// Open reports whether the program took applications at compile time and
// still does at now.
func (p *ProgramFeatures) Open(now time.Time) bool {
	return p.live && now.Unix() < p.closesAt
}

// CompileApplicant compiles a. The features keep a pointer to a copy of a.
func (m *Model) CompileApplicant(a Applicant) ApplicantFeatures {
	src := new(Applicant)
	*src = a
	f := ApplicantFeatures{
		src:        src,
		countryBit: countryBit(a.HomeCountry),
		kindBit:    enumBit(taxonomy.ApplicantKinds, a.Kind),
		degreeBit:  enumBit(taxonomy.DegreeLevels, a.DegreeLevel),
		birthYear:  math.MinInt32,
	}
	if a.BirthYear != 0 {
		f.birthYear = int32(a.BirthYear)
	}
	w, has, err := eligibility.Availability(a.EligibilityApplicant())
	switch {
	case err != nil:
		f.from, f.to = math.MaxInt32, math.MinInt32
	case !has:
		f.from, f.to = openFrom, openTo
	default:
		f.from, f.to = clampDay(w.From), clampDay(w.To)
	}
	for _, c := range a.Fields {
		f.fieldExact |= fieldBit[c]
		f.fieldMajor |= majorBit[c]
	}
	for i := range f.rank {
		f.rank[i] = -1
	}
	for _, l := range a.Languages {
		li, ok := langIndex[l.Code]
		if !ok {
			continue
		}
		if r, ok := taxonomy.LevelRank(l.Code, l.Level); ok && int8(r) > f.rank[li] {
			f.rank[li] = int8(r)
		}
	}
	for li, r := range f.rank {
		for k := 0; k <= int(r); k++ {
			b := li*8 + k
			f.meets[b>>6] |= 1 << (b & 63)
		}
	}
	for _, k := range a.Preferences.ProgramKinds {
		if i := taxonomy.ProgramKinds.Index(k); i >= 0 {
			f.prefKinds |= 1 << i
		}
	}
	for _, name := range a.Preferences.HostRegions {
		for _, c := range taxonomy.Countries() {
			if id := lookupRegion(c.Code, name); id >= 0 {
				f.prefRegions[id>>6] |= 1 << (id & 63)
				f.hasRegionPrefs = true
			}
		}
	}

	f.terms = m.vectorize(m.termIDsOf(func(t *tokenizer, emit func([]byte)) { applicantText(t, a, emit) }))
	f.skills = m.skillSet(a.Skills)
	return f
}

// termIDsOf returns the term ids of a document's tokens, interning new
// terms. Documents whose terms are all known (every document after Fit has
// seen the corpus) need only the read lock, so compiling runs in parallel.
func (m *Model) termIDsOf(text func(*tokenizer, func([]byte))) []int32 {
	var tok tokenizer
	var ids []int32
	missing := false
	m.mu.RLock()
	text(&tok, func(b []byte) {
		if id, ok := m.termIDs[string(b)]; ok {
			ids = append(ids, id)
		} else {
			missing = true
		}
	})
	m.mu.RUnlock()
	if !missing {
		return ids
	}
	ids = ids[:0]
	m.mu.Lock()
	defer m.mu.Unlock()
	text(&tok, func(b []byte) { ids = append(ids, m.intern(b)) })
	return ids
}

// skillSet interns skills and returns their distinct ids, sorted.
func (m *Model) skillSet(skills []string) []int32 {
	if len(skills) == 0 {
		return nil
	}
	keys := make([]string, 0, len(skills))
	for _, s := range skills {
		if k := textnorm.Fold(s); k != "" {
			keys = append(keys, k)
		}
	}
	ids := make([]int32, 0, len(keys))
	m.mu.RLock()
	for _, k := range keys {
		if id, ok := m.skillIDs[k]; ok {
			ids = append(ids, id)
		}
	}
	m.mu.RUnlock()
	if len(ids) < len(keys) {
		ids = ids[:0]
		m.mu.Lock()
		for _, k := range keys {
			ids = append(ids, m.internSkill(k))
		}
		m.mu.Unlock()
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// hostLanguage is the language daily life and work in the host country run
// in, used to score language when a program sets no requirement: Japanese in
// Japan, English (the language of Indian higher education) in India.
var hostLanguage = map[string]string{taxonomy.Japan: "ja", taxonomy.India: "en"}

// CompileProgram compiles p. now decides whether the deadline has passed
// (see ProgramFeatures.Open) and the year ages are computed in when the
// program has no start date.
func (m *Model) CompileProgram(p Program, now time.Time) ProgramFeatures {
	src := new(Program)
	*src = p
	ep := p.EligibilityProgram()
	rules := p.Eligibility
	valid := true // false when a date or language rule cannot be read
	f := ProgramFeatures{
		src:          src,
		kinds:        enumMask(taxonomy.ApplicantKinds, rules.ApplicantKinds),
		degrees:      enumMask(taxonomy.DegreeLevels, rules.DegreeLevels),
		kindBit:      enumBit(taxonomy.ProgramKinds, p.Kind),
		hostLang:     -1,
		region:       int16(lookupRegion(p.HostCountry, p.Region)),
		minBirthYear: math.MinInt32,
		maxBirthYear: math.MaxInt32,
		closesAt:     math.MaxInt64,
	}
	if accepted := eligibility.AcceptedHomeCountries(ep); accepted == nil {
		f.countries = 0xFF
	} else {
		for _, c := range accepted {
			if i, ok := countryIndex[c]; ok {
				f.countries |= 1 << i
			}
		}
	}
	if li, ok := langIndex[hostLanguage[p.HostCountry]]; ok {
		f.hostLang = int8(li)
	}
	for _, req := range rules.Languages {
		li, ok := langIndex[req.Code]
		r, onScale := taxonomy.LevelRank(req.Code, req.MinLevel)
		if !ok || !onScale {
			valid = false // a rule that cannot be checked is unmet
			continue
		}
		b := li*8 + r
		f.req[b>>6] |= 1 << (b & 63)
	}
	for _, w := range f.req {
		f.nreq += uint8(bits.OnesCount64(w))
	}
	if rules.MinAge != 0 || rules.MaxAge != 0 {
		// Born in B, an applicant is S−B−1 or S−B at the start (see
		// eligibility): minAge needs S−B ≥ minAge, maxAge needs S−B−1 ≤
		// maxAge. A missing birth year (MinInt32) fails either.
		y := int32(eligibility.StartYear(ep, now))
		f.minBirthYear = math.MinInt32 + 1
		if rules.MinAge > 0 {
			f.maxBirthYear = y - int32(rules.MinAge)
		}
		if rules.MaxAge > 0 {
			f.minBirthYear = max(f.minBirthYear, y-1-int32(rules.MaxAge))
		}
	}
	switch closes, ok, err := eligibility.Closes(ep); {
	case err != nil:
		valid = false
	case ok:
		f.closesAt = closes.Unix()
	}
	switch w, has, err := eligibility.Dates(ep); {
	case err != nil || (has && w.From > w.To):
		valid = false
	case has:
		f.hasDates = true
		f.start, f.end = clampDay(w.From), clampDay(w.To)
		if p.StartDate != "" && p.EndDate != "" {
			f.span = f.end - f.start + 1
			f.spanRecip = (uint64(q) << 32) / uint64(f.span)
		}
	}
	for _, c := range p.Fields {
		f.fieldFull |= fieldBit[c] | underMajor[c]
		f.fieldMajor |= majorBit[c]
	}
	f.live = valid && now.Unix() < f.closesAt

	f.terms = m.vectorize(m.termIDsOf(func(t *tokenizer, emit func([]byte)) { programText(t, p, emit) }))
	f.skills = m.skillSet(p.Skills)
	f.nskills = uint16(min(len(f.skills), math.MaxUint16))
	return f
}
