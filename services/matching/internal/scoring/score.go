// Package scoring scores an eligible (applicant, program) pair in [0, 1] and
// explains the score in words a person can check (DESIGN.md §5).
//
// There are two ways in. Model.Score takes plain Applicant and Program values
// and returns an Explanation with reasons; it is for one pair at a time.
// The recommender instead compiles every profile and program once
// (Model.CompileApplicant, Model.CompileProgram) and calls PairPoints for
// millions of pairs: it allocates nothing, and the text and skill overlaps
// are passed in because an inverted index computes them for a whole row at
// once. Both ways produce the same Points for the same pair; weights.go holds
// the weights.
package scoring

import "math/bits"

// Eligible is eligibility.Check compiled to masks and bounds. It agrees with
// Check for profiles and programs whose codes are known to the taxonomy (as
// the write validators ensure), at the time the program was compiled.
func Eligible(a *ApplicantFeatures, p *ProgramFeatures) bool {
	return p.live &&
		a.countryBit&p.countries != 0 &&
		a.kindBit&p.kinds != 0 &&
		a.degreeBit&p.degrees != 0 &&
		p.minBirthYear <= a.birthYear && a.birthYear <= p.maxBirthYear &&
		(p.req[0]&^a.meets[0])|(p.req[1]&^a.meets[1])|(p.req[2]&^a.meets[2])|(p.req[3]&^a.meets[3]) == 0 &&
		(!p.hasDates || max(a.from, p.start) <= min(a.to, p.end))
}

// Group packs the applicant's home country, kind and degree level into one
// key. Applicants with the same group pass or fail a program's country, kind
// and degree rules together, so a full build can test those rules once per
// group (see Admits) rather than once per pair.
func (a *ApplicantFeatures) Group() uint32 {
	return uint32(a.countryBit) | uint32(a.kindBit)<<8 | uint32(a.degreeBit)<<16
}

// Admits reports whether p is open and its country, kind and degree rules
// accept applicants of the group. Eligible still decides; Admits only rules
// pairs out.
func (p *ProgramFeatures) Admits(group uint32) bool {
	return p.live &&
		uint8(group)&p.countries != 0 &&
		uint8(group>>8)&p.kinds != 0 &&
		uint8(group>>16)&p.degrees != 0
}

// PairPoints scores a pair given its text dot product (the sum of products
// of matching term weights, see Dot) and the number of skills the two share.
// It reports false, with no score, when the pair is not eligible.
func PairPoints(a *ApplicantFeatures, p *ProgramFeatures, dot, sharedSkills uint32) (Points, bool) {
	if !Eligible(a, p) {
		return 0, false
	}
	// The same helpers as components, summed straight into points: no
	// struct in between on the hot path.
	return Points(weightField*fieldPoints(a, p) + weightSkills*skillPoints(p, sharedSkills) +
		weightText*textPoints(dot) + weightLanguage*languagePoints(a, p) +
		weightDates*datePoints(a, p) + weightPreferences*preferencePoints(a, p)), true
}

// PairScore is PairPoints with the overlaps computed from the two vectors.
func PairScore(a *ApplicantFeatures, p *ProgramFeatures) (Points, bool) {
	return PairPoints(a, p, Dot(a.terms, p.terms), sharedCount(a.skills, p.skills))
}

// Dot returns the dot product of two quantized vectors sorted by term id.
func Dot(x, y []TermWeight) uint32 {
	var sum uint32
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i].Term < y[j].Term:
			i++
		case x[i].Term > y[j].Term:
			j++
		default:
			sum += uint32(x[i].Weight) * uint32(y[j].Weight)
			i++
			j++
		}
	}
	return sum
}

func sharedCount(x, y []int32) uint32 {
	var n uint32
	i, j := 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] < y[j]:
			i++
		case x[i] > y[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// fixed holds the components as fractions of q.
type fixed struct {
	field, skills, text, language, dates, preferences uint32
}

func (c fixed) points() Points {
	return Points(weightField*c.field + weightSkills*c.skills + weightText*c.text +
		weightLanguage*c.language + weightDates*c.dates + weightPreferences*c.preferences)
}

func components(a *ApplicantFeatures, p *ProgramFeatures, dot, shared uint32) fixed {
	return fixed{
		field: fieldPoints(a, p), skills: skillPoints(p, shared), text: textPoints(dot),
		language: languagePoints(a, p), dates: datePoints(a, p), preferences: preferencePoints(a, p),
	}
}

func fieldPoints(a *ApplicantFeatures, p *ProgramFeatures) uint32 {
	switch {
	case a.fieldExact&p.fieldFull != 0:
		return q
	case a.fieldMajor&p.fieldMajor != 0:
		return q / 2
	}
	return 0
}

func skillPoints(p *ProgramFeatures, shared uint32) uint32 {
	if p.nskills == 0 {
		return 0
	}
	return fraction(min(shared, uint32(p.nskills)), uint32(p.nskills))
}

// textPoints turns a dot product into 2 × cosine, capped at 1: dot is the
// cosine scaled by weightScale² = 2^30, and 2 × cosine in units of
// q = 2^16 is dot >> 13.
func textPoints(dot uint32) uint32 { return min(q, dot>>13) }

// Integer division costs more than all the other arithmetic of a pair, so
// the fractions components are made of come from tables built once.
const maxTabled = 32

var (
	// fractionTable[n][k] is k/n in units of q.
	fractionTable [maxTabled + 1][maxTabled + 1]uint32
	// marginTable[top][min][rank] is 0.5 for meeting the minimum exactly,
	// rising linearly to 1 at the top of the scale; 0 below the minimum.
	marginTable [8][8][8]uint32
	// hostTable[top][rank] is (rank+1)/(top+1): how far up the scale.
	hostTable [8][8]uint32
)

func init() {
	for n := 1; n <= maxTabled; n++ {
		for k := 0; k <= n; k++ {
			fractionTable[n][k] = uint32(k * q / n)
		}
	}
	for top := range 8 {
		for rank := 0; rank <= top; rank++ {
			hostTable[top][rank] = uint32((rank + 1) * q / (top + 1))
		}
		for lo := 0; lo <= top; lo++ {
			for rank := lo; rank <= top; rank++ {
				if top == lo {
					marginTable[top][lo][rank] = q
				} else {
					marginTable[top][lo][rank] = uint32(q/2 + (q/2)*(rank-lo)/(top-lo))
				}
			}
		}
	}
}

// fraction returns k/n in units of q, for k ≤ n.
func fraction(k, n uint32) uint32 {
	if n <= maxTabled {
		return fractionTable[n][k]
	}
	return k * q / n
}

func languagePoints(a *ApplicantFeatures, p *ProgramFeatures) uint32 {
	if p.nreq == 0 {
		if p.hostLang < 0 {
			return q / 2
		}
		r := a.rank[p.hostLang]
		if r < 0 {
			return 0
		}
		return hostTable[scaleTop[p.hostLang]&7][r&7]
	}
	var sum uint32
	for w, word := range p.req {
		for word != 0 {
			b := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			sum += marginTable[scaleTop[b>>3]&7][b&7][a.rank[b>>3]&7]
		}
	}
	if p.nreq == 1 {
		return sum
	}
	return sum / uint32(p.nreq)
}

func datePoints(a *ApplicantFeatures, p *ProgramFeatures) uint32 {
	if p.span == 0 {
		return q // no fixed length to cover
	}
	overlap := min(a.to, p.end) - max(a.from, p.start) + 1
	switch {
	case overlap >= p.span:
		return q
	case overlap <= 0:
		return 0
	}
	// overlap/span by multiplying with a reciprocal fixed at compile time.
	return uint32(uint64(overlap) * p.spanRecip >> 32)
}

func preferencePoints(a *ApplicantFeatures, p *ProgramFeatures) uint32 {
	var s uint32
	switch {
	case a.prefKinds == 0:
		s += q / 4
	case a.prefKinds&p.kindBit != 0:
		s += q / 2
	}
	switch {
	case !a.hasRegionPrefs:
		s += q / 4
	case p.region >= 0 && a.prefRegions[p.region>>6]&(1<<(p.region&63)) != 0:
		s += q / 2
	}
	return s
}
