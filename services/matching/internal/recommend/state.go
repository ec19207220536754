package recommend

import (
	"github.com/talentbridge/platform/services/matching/internal/scoring"
)

// posting is one entry of an inverted index: a slot holding the term, with
// the term's weight in that slot's vector.
type posting struct {
	slot int32
	w    uint16
}

// index is an inverted index over one side's terms and skills, which the
// other side queries.
type index struct {
	terms  [][]posting // term id → slots whose vector has it
	skills [][]int32   // skill id → slots that list it
}

// side is what is kept for one side of the market (applicants or programs):
// slot bookkeeping, each slot's ranked list of the other side, and the
// side's inverted index.
type side struct {
	ids   []string // by slot; "" for a free slot
	slots map[string]int32
	free  []int32
	lists lists
	index
}

func newSide(keep int) side {
	return side{slots: map[string]int32{}, lists: newLists(0, keep)}
}

// alloc returns a slot for id, reusing a free one when it can. The caller
// grows the feature slice to match (see state.addApplicant).
func (s *side) alloc(id string) int32 {
	var slot int32
	if n := len(s.free); n > 0 {
		slot = s.free[n-1]
		s.free = s.free[:n-1]
		s.ids[slot] = id
	} else {
		slot = int32(len(s.ids))
		s.ids = append(s.ids, id)
		s.lists.grow(len(s.ids))
	}
	s.slots[id] = slot
	return slot
}

// reserve makes room for n slots, so that a full build allocating them one
// by one never grows (and copies) the slices, map or list buffer.
func (s *side) reserve(n int) {
	s.ids = make([]string, 0, n)
	s.slots = make(map[string]int32, n)
	s.lists.reserve(n)
}

func (s *side) release(slot int32) {
	delete(s.slots, s.ids[slot])
	s.ids[slot] = ""
	s.lists.set(slot, nil, true)
	s.free = append(s.free, slot)
}

// add puts a slot's terms and skills in the index.
func (s *index) add(slot int32, terms []scoring.TermWeight, skills []int32) {
	for _, tw := range terms {
		for int(tw.Term) >= len(s.terms) {
			s.terms = append(s.terms, nil)
		}
		s.terms[tw.Term] = append(s.terms[tw.Term], posting{slot, tw.Weight})
	}
	for _, sk := range skills {
		for int(sk) >= len(s.skills) {
			s.skills = append(s.skills, nil)
		}
		s.skills[sk] = append(s.skills[sk], slot)
	}
}

// remove takes a slot's postings out of the index. Order within a posting list does not
// matter (scores are integer sums), so removal swaps in the last entry.
func (s *index) remove(slot int32, terms []scoring.TermWeight, skills []int32) {
	for _, tw := range terms {
		ps := s.terms[tw.Term]
		for i := range ps {
			if ps[i].slot == slot {
				ps[i] = ps[len(ps)-1]
				s.terms[tw.Term] = ps[:len(ps)-1]
				break
			}
		}
	}
	for _, sk := range skills {
		ss := s.skills[sk]
		for i := range ss {
			if ss[i] == slot {
				ss[i] = ss[len(ss)-1]
				s.skills[sk] = ss[:len(ss)-1]
				break
			}
		}
	}
}

// state is everything the recommender knows. Writers change it under the
// Recommender's locks; a full build makes a new one and swaps it in.
type state struct {
	model   *scoring.Model
	k, keep int
	apps    []scoring.ApplicantFeatures // by applicant slot
	progs   []scoring.ProgramFeatures   // by program slot
	a, p    side
	// recomputes counts lists rebuilt from scratch by updates, for tests
	// and benchmarks: it shows how often Keep was not enough.
	recomputes int
	// eligiblePairs is how many pairs the last full build found eligible.
	eligiblePairs int64
}

func newState(model *scoring.Model, k, keep int) *state {
	return &state{model: model, k: k, keep: keep, a: newSide(keep), p: newSide(keep)}
}

// reserve sizes an empty state for n applicants and m programs (see
// side.reserve).
func (st *state) reserve(n, m int) {
	st.apps = make([]scoring.ApplicantFeatures, 0, n)
	st.progs = make([]scoring.ProgramFeatures, 0, m)
	st.a.reserve(n)
	st.p.reserve(m)
}

// putApplicant stores compiled features under id, replacing (and
// taking out of the index) any previous version, and returns the slot.
func (st *state) putApplicant(id string, f scoring.ApplicantFeatures) int32 {
	return putFeatures(&st.a, &st.apps, id, f)
}

func (st *state) putProgram(id string, f scoring.ProgramFeatures) int32 {
	return putFeatures(&st.p, &st.progs, id, f)
}

// putFeatures is putApplicant and putProgram for either side: s is the
// side's bookkeeping and feats its features by slot.
func putFeatures[F any, PF interface {
	*F
	Terms() []scoring.TermWeight
	SkillIDs() []int32
}](s *side, feats *[]F, id string, f F) int32 {
	slot, ok := s.slots[id]
	if ok {
		old := PF(&(*feats)[slot])
		s.remove(slot, old.Terms(), old.SkillIDs())
	} else {
		slot = s.alloc(id)
		if int(slot) == len(*feats) {
			var zero F
			*feats = append(*feats, zero)
		}
	}
	(*feats)[slot] = f
	stored := PF(&(*feats)[slot])
	s.add(slot, stored.Terms(), stored.SkillIDs())
	return slot
}

// dropApplicant frees a slot. Its zero features are eligible for nothing,
// so scans over all slots need no liveness check.
func (st *state) dropApplicant(slot int32) {
	old := &st.apps[slot]
	st.a.remove(slot, old.Terms(), old.SkillIDs())
	st.apps[slot] = scoring.ApplicantFeatures{}
	st.a.release(slot)
}

func (st *state) dropProgram(slot int32) {
	old := &st.progs[slot]
	st.p.remove(slot, old.Terms(), old.SkillIDs())
	st.progs[slot] = scoring.ProgramFeatures{}
	st.p.release(slot)
}
