package scoring

// The score of an eligible (applicant, program) pair is a weighted sum of six
// components, each in [0, 1]. This table is the only place weights live.
//
//	component    weight  full marks when …                        partial credit
//	-----------  ------  ---------------------------------------  ---------------------------------------------
//	field         0.25   an applicant field equals a program      0.5 when they only share the major field
//	                     field (or lies under a major field the   ("2.3" vs "2.2": Engineering and technology)
//	                     program lists)
//	skills        0.25   the applicant has every skill the        the fraction of the program's skills held
//	                     program lists                            ("3 of 5 skills")
//	text          0.15   TF-IDF cosine of statement+skills vs     2 × cosine, capped at 1: unrelated texts rarely
//	                     title+description+skills ≥ 0.5           share terms, close ones reach 0.3–0.5
//	language      0.15   native in every required language        0.5 for just meeting a minimum, rising
//	                                                              linearly to 1 at native; without
//	                                                              requirements, the level in the host's
//	                                                              working language (ja in Japan, en in India)
//	dates         0.10   available for the whole program          the fraction of program days covered
//	preferences   0.10   program kind and host region both in     0.5 each; 0.25 each when the applicant
//	                     the applicant's preferences              states no preference of that sort
//
// Skills and field carry the most weight because they are what hosts select
// on; text breaks ties between similar profiles and catches skills spelled
// differently; language, dates and preferences mostly order programs that
// are otherwise alike. Eligibility is not a component: ineligible pairs get
// no score at all.
//
// Scores are computed in integer "points" so that every path (a full build,
// an incremental update, a single explained pair) adds exactly the same
// numbers in any order and ranks ties identically: each component is a
// fixed-point fraction of q, and the weights below are in thousandths.
const (
	weightField       = 250
	weightSkills      = 250
	weightText        = 150
	weightLanguage    = 150
	weightDates       = 100
	weightPreferences = 100

	weightTotal = weightField + weightSkills + weightText + weightLanguage + weightDates + weightPreferences
)

// q is 1.0 in the fixed-point fractions components are computed in.
const q = 1 << 16

// Points is a score in fixed point: MaxPoints is a score of 1.
type Points uint32

// MaxPoints is the score of a perfect pair.
const MaxPoints Points = weightTotal * q

// Float returns the score in [0, 1].
func (p Points) Float() float64 { return float64(p) / float64(MaxPoints) }
