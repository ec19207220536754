package taxonomy

import "strings"

// Applicant kinds (profile "kind").
const (
	ApplicantStudent    = "student"
	ApplicantResearcher = "researcher"
	ApplicantCompany    = "company"
)

// Program kinds (program "kind").
const (
	ProgramExchange            = "exchange"
	ProgramInternship          = "internship"
	ProgramJointResearch       = "joint_research"
	ProgramFellowship          = "fellowship"
	ProgramScholarship         = "scholarship"
	ProgramIndustryPartnership = "industry_partnership"
)

// Degree levels (profile "degreeLevel").
const (
	DegreeBachelor     = "bachelor"
	DegreeMaster       = "master"
	DegreePhD          = "phd"
	DegreePostdoc      = "postdoc"
	DegreeFaculty      = "faculty"
	DegreeProfessional = "professional"
)

// Term is one value of an enumeration with its labels.
type Term struct {
	Code   string `json:"code"`
	Labels Labels `json:"labels"`
}

// Enum is a closed set of codes, such as the applicant kinds. Its order is
// fixed, so Index can serve as a compact id (for example a bit position).
type Enum struct {
	name  string
	terms []Term
	index map[string]int
}

func newEnum(name string, terms ...Term) *Enum {
	e := &Enum{name: name, terms: terms, index: make(map[string]int, len(terms))}
	for i, t := range terms {
		e.index[t.Code] = i
	}
	return e
}

// Name says what the enumeration holds ("applicant kind"), for messages.
func (e *Enum) Name() string { return e.name }

// Valid reports whether code belongs to the enumeration. Codes are
// case-sensitive: they are identifiers, not display text.
func (e *Enum) Valid(code string) bool {
	_, ok := e.index[code]
	return ok
}

// Index returns the position of code, or -1 when it is not a member.
func (e *Enum) Index(code string) int {
	if i, ok := e.index[code]; ok {
		return i
	}
	return -1
}

// Term returns the member with the given code.
func (e *Enum) Term(code string) (Term, bool) {
	i, ok := e.index[code]
	if !ok {
		return Term{}, false
	}
	return e.terms[i], true
}

// Terms returns the members in order.
func (e *Enum) Terms() []Term { return append([]Term(nil), e.terms...) }

// Codes returns the member codes in order.
func (e *Enum) Codes() []string {
	out := make([]string, len(e.terms))
	for i, t := range e.terms {
		out[i] = t.Code
	}
	return out
}

// Len returns the number of members.
func (e *Enum) Len() int { return len(e.terms) }

// String lists the codes, as in "student|researcher|company".
func (e *Enum) String() string { return strings.Join(e.Codes(), "|") }

// ApplicantKinds are the kinds of people who keep a profile.
var ApplicantKinds = newEnum("applicant kind",
	Term{ApplicantStudent, Labels{"Student", "学生", "छात्र"}},
	Term{ApplicantResearcher, Labels{"Researcher", "研究者", "शोधकर्ता"}},
	Term{ApplicantCompany, Labels{"Company staff", "企業関係者", "कंपनी कर्मचारी"}},
)

// ProgramKinds are the kinds of opportunity a host can post.
var ProgramKinds = newEnum("program kind",
	Term{ProgramExchange, Labels{"Exchange", "交換留学", "विनिमय कार्यक्रम"}},
	Term{ProgramInternship, Labels{"Internship", "インターンシップ", "इंटर्नशिप"}},
	Term{ProgramJointResearch, Labels{"Joint research", "共同研究", "संयुक्त अनुसंधान"}},
	Term{ProgramFellowship, Labels{"Fellowship", "フェローシップ", "फ़ेलोशिप"}},
	Term{ProgramScholarship, Labels{"Scholarship", "奨学金", "छात्रवृत्ति"}},
	Term{ProgramIndustryPartnership, Labels{"Industry–academia partnership", "産学連携", "उद्योग–शिक्षा जगत साझेदारी"}},
)

// DegreeLevels are the highest current or completed academic stage, with
// "professional" for people outside academia.
var DegreeLevels = newEnum("degree level",
	Term{DegreeBachelor, Labels{"Bachelor's", "学士課程", "स्नातक"}},
	Term{DegreeMaster, Labels{"Master's", "修士課程", "स्नातकोत्तर"}},
	Term{DegreePhD, Labels{"PhD", "博士課程", "पीएच.डी."}},
	Term{DegreePostdoc, Labels{"Postdoctoral researcher", "博士研究員（ポスドク）", "पोस्टडॉक्टरल शोधकर्ता"}},
	Term{DegreeFaculty, Labels{"Faculty member", "大学教員", "संकाय सदस्य"}},
	Term{DegreeProfessional, Labels{"Working professional", "社会人・専門職", "कार्यरत पेशेवर"}},
)

// Applicant categories (profile "categories", program reserves).
const (
	CategoryWomen            = "women"
	CategoryFirstGeneration  = "first_generation"
	CategoryTier2Institution = "tier2_institution"
	CategoryNortheastIndia   = "northeast_india"
	CategoryDisability       = "disability"
	CategoryRural            = "rural"
)

// Categories are the self-declared groups an applicant may belong to
// (DESIGN.md §4). A program may hold seats for them (reserves); they are
// used only by allocation and aggregate reports, never in scoring, and are
// never shown to hosts.
var Categories = newEnum("category",
	Term{CategoryWomen, Labels{"Women", "女性", "महिलाएँ"}},
	Term{CategoryFirstGeneration, Labels{"First in family at university", "家族で初めての大学進学者", "परिवार में पहली पीढ़ी के विद्यार्थी"}},
	Term{CategoryTier2Institution, Labels{"From a tier-2 or tier-3 institution", "地方・中小規模の教育機関の出身", "टियर-2 या टियर-3 संस्थान से"}},
	Term{CategoryNortheastIndia, Labels{"From Northeast India", "インド北東部の出身", "पूर्वोत्तर भारत से"}},
	Term{CategoryDisability, Labels{"Person with a disability", "障害のある方", "दिव्यांगजन"}},
	Term{CategoryRural, Labels{"From a rural area", "農村部の出身", "ग्रामीण क्षेत्र से"}},
)
