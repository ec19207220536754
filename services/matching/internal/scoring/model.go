package scoring

import (
	"math"
	"slices"
	"sync"

	"github.com/talentbridge/platform/shared/eligibility"
	"github.com/talentbridge/platform/shared/taxonomy"
	"github.com/talentbridge/platform/shared/textnorm"
)

// Applicant is what scoring reads from a profile. The matching service fills
// it from its read model; JSON names follow DESIGN.md §4.
type Applicant struct {
	ID          string              `json:"id"`
	Kind        string              `json:"kind"`
	HomeCountry string              `json:"homeCountry"`
	DegreeLevel string              `json:"degreeLevel"`
	BirthYear   int                 `json:"birthYear,omitempty"`
	Fields      []string            `json:"fields,omitempty"`
	Skills      []string            `json:"skills,omitempty"`
	Statement   string              `json:"statement,omitempty"`
	Languages   []taxonomy.Language `json:"languages,omitempty"`
	// AvailableFrom and AvailableTo are "YYYY-MM-DD" or empty.
	AvailableFrom string      `json:"availableFrom,omitempty"`
	AvailableTo   string      `json:"availableTo,omitempty"`
	Preferences   Preferences `json:"preferences"`
}

// Preferences are the program kinds and host regions an applicant would
// like. Host regions are region names of either country ("Tokyo").
type Preferences struct {
	ProgramKinds []string `json:"programKinds,omitempty"`
	HostRegions  []string `json:"hostRegions,omitempty"`
}

// Program is what scoring reads from a program.
type Program struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	Kind        string   `json:"kind"`
	HostCountry string   `json:"hostCountry"`
	Region      string   `json:"region,omitempty"`
	Fields      []string `json:"fields,omitempty"`
	Skills      []string `json:"skills,omitempty"`
	// StartDate, EndDate and ApplicationDeadline are "YYYY-MM-DD" or empty.
	StartDate           string            `json:"startDate,omitempty"`
	EndDate             string            `json:"endDate,omitempty"`
	ApplicationDeadline string            `json:"applicationDeadline,omitempty"`
	Eligibility         eligibility.Rules `json:"eligibility"`
}

// EligibilityApplicant returns the part of a the eligibility rules read.
func (a Applicant) EligibilityApplicant() eligibility.Applicant {
	return eligibility.Applicant{
		Kind: a.Kind, HomeCountry: a.HomeCountry, DegreeLevel: a.DegreeLevel, BirthYear: a.BirthYear,
		Languages: a.Languages, AvailableFrom: a.AvailableFrom, AvailableTo: a.AvailableTo,
	}
}

// EligibilityProgram returns the part of p the eligibility rules read.
func (p Program) EligibilityProgram() eligibility.Program {
	return eligibility.Program{
		HostCountry: p.HostCountry, StartDate: p.StartDate, EndDate: p.EndDate,
		ApplicationDeadline: p.ApplicationDeadline, Eligibility: p.Eligibility,
	}
}

// Text-weighting parameters.
const (
	// maxDocFraction drops terms found in more than this share of documents
	// (sklearn's max_df): with stopwords gone, what is left at that
	// frequency ("research", "students") separates nothing, and it would make
	// the inverted index walk most documents for every query.
	maxDocFraction = 0.5
	// minDocsForCut is the corpus size below which no term is dropped: in a
	// handful of documents, frequencies say nothing.
	minDocsForCut = 100
	// maxTerms caps a document vector, keeping its heaviest terms. The norm
	// is taken before the cut, so a cosine can only shrink.
	maxTerms = 96
	// weightScale is 1.0 for a quantized term weight. Products of two
	// weights then fit in 2^30 and a whole dot product in a uint32.
	weightScale = 1 << 15
)

// Model turns profiles and programs into compact features. It interns terms
// and skills to integer ids and holds the document frequencies IDF is taken
// from.
//
// The frequencies are a snapshot taken by Fit and do not move as documents
// are compiled later; terms first seen after Fit get the IDF of a term seen
// in no document. That is what lets one profile or program be re-scored on
// its own: if every new document shifted IDF, every score in the system
// would change with it. Refit (build a new Model with Fit) periodically to
// follow vocabulary drift.
//
// A Model is safe for concurrent use.
type Model struct {
	mu         sync.RWMutex
	termIDs    map[string]int32
	termNames  []string
	skillIDs   map[string]int32
	skillNames []string

	docs   int       // documents in the snapshot
	idf    []float64 // by term id for terms known at Fit; 0 = dropped
	idfNew float64   // IDF of a term no snapshot document had
}

// NewModel returns a model with no statistics: every term weighs the same
// and none is dropped.
func NewModel() *Model {
	return &Model{
		termIDs:  map[string]int32{},
		skillIDs: map[string]int32{},
		idfNew:   1,
	}
}

// Fit returns a model whose IDF statistics come from the given corpus: one
// document per applicant (skills and statement) and per program (title,
// description and skills). IDF is the smoothed ln((1+N)/(1+df)) + 1.
func Fit(applicants []Applicant, programs []Program) *Model {
	m := NewModel()
	var df []int32
	var seen []int // seen[id] = last document the term was counted for
	var tok tokenizer
	doc := 0
	count := func(b []byte) {
		id := m.intern(b)
		if int(id) >= len(df) {
			df = append(df, 0)
			seen = append(seen, -1)
		}
		if seen[id] != doc {
			seen[id] = doc
			df[id]++
		}
	}
	// Skills are interned here too, so that compiling the same corpus
	// afterwards finds every term and skill known and runs in parallel.
	for _, a := range applicants {
		applicantText(&tok, a, count)
		m.internSkills(a.Skills)
		doc++
	}
	for _, p := range programs {
		programText(&tok, p, count)
		m.internSkills(p.Skills)
		doc++
	}
	m.docs = doc
	n := float64(doc)
	m.idfNew = math.Log(1+n) + 1
	m.idf = make([]float64, len(df))
	cut := math.MaxInt32
	if doc >= minDocsForCut {
		cut = int(maxDocFraction * n)
	}
	for id, d := range df {
		if int(d) > cut {
			continue // dropped: idf 0
		}
		m.idf[id] = math.Log((1+n)/(1+float64(d))) + 1
	}
	return m
}

// Docs returns the number of documents the statistics were taken from.
func (m *Model) Docs() int { return m.docs }

// intern returns the id of a term, adding it if new. The caller holds m.mu,
// or owns m alone (Fit).
func (m *Model) intern(b []byte) int32 {
	if id, ok := m.termIDs[string(b)]; ok {
		return id
	}
	s := string(b)
	id := int32(len(m.termNames))
	m.termIDs[s] = id
	m.termNames = append(m.termNames, s)
	return id
}

func (m *Model) internSkills(skills []string) {
	for _, s := range skills {
		if k := textnorm.Fold(s); k != "" {
			m.internSkill(k)
		}
	}
}

// internSkill is intern for skills.
func (m *Model) internSkill(s string) int32 {
	if id, ok := m.skillIDs[s]; ok {
		return id
	}
	id := int32(len(m.skillNames))
	m.skillIDs[s] = id
	m.skillNames = append(m.skillNames, s)
	return id
}

// TermName returns the text of a term id.
func (m *Model) TermName(id int32) string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.termNames[id]
}

// Terms returns how many distinct terms the model has interned.
func (m *Model) Terms() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.termNames)
}

// Skills returns how many distinct skills the model has interned.
func (m *Model) Skills() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.skillNames)
}

func applicantText(t *tokenizer, a Applicant, emit func([]byte)) {
	for _, s := range a.Skills {
		t.Each(s, emit)
	}
	t.Each(a.Statement, emit)
}

func programText(t *tokenizer, p Program, emit func([]byte)) {
	t.Each(p.Title, emit)
	t.Each(p.Description, emit)
	for _, s := range p.Skills {
		t.Each(s, emit)
	}
}

// TermWeight is one entry of a document vector: a term id and its TF-IDF
// weight, quantized so that weightScale is 1.0.
type TermWeight struct {
	Term   int32
	Weight uint16
}

// vectorize turns term ids (with repeats) into a unit-length TF-IDF vector
// sorted by term id. It reads only the IDF snapshot, which never changes
// after Fit, so it needs no lock.
func (m *Model) vectorize(ids []int32) []TermWeight {
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	type tw struct {
		id int32
		w  float64
	}
	ws := make([]tw, 0, len(ids))
	var norm float64
	for i := 0; i < len(ids); {
		j := i
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		idf := m.idfNew
		if int(ids[i]) < len(m.idf) {
			idf = m.idf[ids[i]]
		}
		if idf > 0 {
			// Sublinear TF: the fifth "robotics" says less than the first.
			w := (1 + math.Log(float64(j-i))) * idf
			ws = append(ws, tw{ids[i], w})
			norm += w * w
		}
		i = j
	}
	if len(ws) == 0 {
		return nil
	}
	if len(ws) > maxTerms {
		slices.SortFunc(ws, func(a, b tw) int {
			if a.w != b.w {
				if a.w > b.w {
					return -1
				}
				return 1
			}
			return int(a.id - b.id)
		})
		ws = ws[:maxTerms]
		slices.SortFunc(ws, func(a, b tw) int { return int(a.id - b.id) })
	}
	norm = math.Sqrt(norm)
	out := make([]TermWeight, 0, len(ws))
	for _, x := range ws {
		qw := math.Round(x.w / norm * weightScale)
		if qw < 1 {
			continue
		}
		out = append(out, TermWeight{Term: x.id, Weight: uint16(min(qw, weightScale))})
	}
	return out
}
