package recommend

import "github.com/talentbridge/platform/services/matching/internal/scoring"

// CandidatesPage returns one page of a program's eligible applicants that
// keep accepts, best first, with reasons, and how many such applicants
// there are in all. Unlike CandidatesFor it is not limited to the K best: it
// scores the program's whole column (the cost of one program update), which
// is what a host paging through every candidate needs. keep is called with
// the recommender's read lock held and must not call back into it. Like
// CandidatesFor it returns no one once applications have closed; ok is
// false when the program is unknown.
//
// This file was added by the matching service's owner for the candidates
// route (GET /programs/{id}/candidates), which filters by consent and pages.
func (r *Recommender) CandidatesPage(programID string, keep func(applicantID string) bool, offset, limit int) (recs []Recommendation, total int, ok bool) {
	now := r.cfg.Now()
	r.mu.RLock()
	st := r.st
	slot, ok := st.p.slots[programID]
	if !ok {
		r.mu.RUnlock()
		return nil, 0, false
	}
	p := st.progs[slot]
	if !p.Open(now) {
		r.mu.RUnlock()
		return []Recommendation{}, 0, true
	}
	// A scratch of our own: the shared one belongs to writers.
	var s scratch
	out := st.colScores(&p, &s)
	var es []entry
	for ai, pts := range out {
		if pts == noScore || st.a.ids[ai] == "" || (keep != nil && !keep(st.a.ids[ai])) {
			continue
		}
		es = append(es, entry{scoring.Points(pts), int32(ai)})
	}
	sortEntries(es, st.a.ids)
	total = len(es)
	offset = max(0, min(offset, total))
	end := max(offset, min(offset+max(limit, 0), total))
	type item struct {
		id  string
		pts scoring.Points
		f   scoring.ApplicantFeatures
	}
	items := make([]item, 0, end-offset)
	for _, e := range es[offset:end] {
		items = append(items, item{st.a.ids[e.slot], e.pts, st.apps[e.slot]})
	}
	r.mu.RUnlock()

	recs = make([]Recommendation, len(items))
	for i, it := range items {
		ex := st.model.Explain(&it.f, &p, now)
		recs[i] = Recommendation{ID: it.id, Score: it.pts.Float(), Reasons: ex.Reasons}
	}
	return recs, total, true
}
