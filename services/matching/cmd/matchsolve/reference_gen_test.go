package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
)

// refCategories is the small set of categories random instances draw from.
var refCategories = []string{"women", "first_generation", "rural", "sc"}

// refGenOptions says what a random instance may hold.
type refGenOptions struct {
	policies bool // categories, reserves, reserve orders, regions and targets
	ties     bool // tie groups in programs' orders
}

// refGenerate draws a random valid instance: 1–40 applicants, 1–12 programs, applicant
// lists of 0–8 programs, capacities 0–5 and, with policies, 0–4 regions whose targets fit
// their caps and reserves that fit their programs.
func refGenerate(r *rand.Rand, opt refGenOptions) refInstance {
	nA, nP := 1+r.IntN(40), 1+r.IntN(12)
	maxList := r.IntN(9)
	var in refInstance

	// Program ids are a shuffled numbering, so instance order and id order differ.
	progIDs := make([]string, nP)
	for i, k := range r.Perm(nP) {
		progIDs[i] = fmt.Sprintf("p%d", k)
	}
	listed := make([]map[int]bool, nP) // program → applicants who listed it
	for p := range listed {
		listed[p] = map[int]bool{}
	}
	for a := range nA {
		app := refApplicant{ID: fmt.Sprintf("a%d", a), Prefs: []string{}}
		for _, p := range r.Perm(nP)[:r.IntN(min(maxList, nP)+1)] {
			app.Prefs = append(app.Prefs, progIDs[p])
			listed[p][a] = true
		}
		if opt.policies {
			for _, c := range refCategories {
				if r.IntN(10) < 3 {
					app.Categories = append(app.Categories, c)
				}
			}
		}
		in.Applicants = append(in.Applicants, app)
	}

	for p := range nP {
		prog := refProgram{ID: progIDs[p], Capacity: r.IntN(6), Prefs: []any{}}
		// Most applicants who listed the program are ranked, and a few who did not.
		var order []string
		for _, a := range r.Perm(nA) {
			if (listed[p][a] && r.IntN(100) < 85) || (!listed[p][a] && r.IntN(100) < 10) {
				order = append(order, in.Applicants[a].ID)
			}
		}
		for len(order) > 0 {
			n := 1
			if opt.ties && r.IntN(10) < 3 {
				n = min(len(order), 1+r.IntN(4)) // a tie group, sometimes of one
				prog.Prefs = append(prog.Prefs, order[:n])
			} else {
				prog.Prefs = append(prog.Prefs, order[0])
			}
			order = order[n:]
		}
		if opt.policies {
			if prog.Capacity > 0 && r.IntN(2) == 0 {
				// Usually distinct categories with at least one seat each; now and then a
				// category listed twice or a reserve of no seats, which the rules allow.
				left := prog.Capacity
				cats := r.Perm(len(refCategories))[:1+r.IntN(3)]
				if r.IntN(10) == 0 {
					cats = append(cats, cats[0])
				}
				for _, c := range cats {
					seats := 0
					if left > 0 && r.IntN(10) != 0 {
						seats = 1 + r.IntN(left)
					}
					left -= seats
					prog.Reserves = append(prog.Reserves, refReserve{Category: refCategories[c], Seats: seats})
				}
			}
			prog.ReserveOrder = []string{"", "last", "first"}[r.IntN(3)]
		}
		in.Programs = append(in.Programs, prog)
	}

	// The applicants' order in the file must not matter; shuffle it.
	defer r.Shuffle(len(in.Applicants), func(i, j int) { in.Applicants[i], in.Applicants[j] = in.Applicants[j], in.Applicants[i] })

	if opt.policies {
		nR := r.IntN(5)
		members := make([][]int, nR)
		for p := range in.Programs {
			if nR > 0 && r.IntN(10) < 6 {
				k := r.IntN(nR)
				in.Programs[p].Region = fmt.Sprintf("r%d", k)
				members[k] = append(members[k], p)
			}
		}
		for k := range nR {
			sumTarget, sumCap := 0, 0
			for _, p := range members[k] {
				prog := &in.Programs[p]
				t := prog.Capacity
				if r.IntN(2) == 0 {
					t = r.IntN(prog.Capacity + 1)
					prog.Target = &t
				}
				sumTarget += t
				sumCap += prog.Capacity
			}
			slack := sumCap - sumTarget
			if r.IntN(2) == 0 {
				slack /= 2 // caps that bind more often
			}
			in.Regions = append(in.Regions, refRegion{ID: fmt.Sprintf("r%d", k), Cap: sumTarget + r.IntN(slack+2)})
		}
		r.Shuffle(len(in.Regions), func(i, j int) { in.Regions[i], in.Regions[j] = in.Regions[j], in.Regions[i] })
	}
	return in
}

// refJSON writes an instance in the format matchsolve reads.
func refJSON(in refInstance) []byte {
	data, err := json.Marshal(in)
	if err != nil {
		panic(err) // the structs hold only strings, numbers and lists
	}
	return data
}
