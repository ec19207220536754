package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/talentbridge/platform/shared/csvexport"
)

// instance is one generated national round: programs with seats, every
// applicant's rank list and every program's strict ranking of the
// applicants who listed it. Every applicant is eligible for every program
// (applicants from India, programs in Japan, no rules), so the round's
// acceptable pairs are exactly the listed ones and, with strict orders on
// both sides, its applicant-optimal stable matching is unique.
type instance struct {
	seats []int   // by program index
	lists [][]int // by applicant: program indexes, best first
	ranks [][]int // by program: applicant indexes, best first
}

// generate draws an instance from seed. Programs are not equally popular:
// program j is drawn with weight 1/sqrt(j+50), mild enough that no
// program is listed by more applicants than a host ranking may hold.
func generate(applicants, programs, listLen int, seed uint64) *instance {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	in := &instance{seats: make([]int, programs), lists: make([][]int, applicants), ranks: make([][]int, programs)}
	// About 0.8 seats per applicant, spread over 1..2*mean-1 per program.
	mean := max(1, int(math.Round(0.8*float64(applicants)/float64(programs))))
	for j := range in.seats {
		in.seats[j] = 1 + rng.IntN(2*mean-1)
	}
	cum := make([]float64, programs)
	total := 0.0
	for j := range cum {
		total += 1 / math.Sqrt(float64(j+50))
		cum[j] = total
	}
	listLen = min(listLen, programs)
	for i := range in.lists {
		list := make([]int, 0, listLen)
		for len(list) < listLen {
			j := sort.SearchFloat64s(cum, rng.Float64()*total)
			if j >= programs || slices.Contains(list, j) {
				continue
			}
			list = append(list, j)
		}
		in.lists[i] = list
		for _, j := range list {
			in.ranks[j] = append(in.ranks[j], i)
		}
	}
	for j := range in.ranks {
		rng.Shuffle(len(in.ranks[j]), func(a, b int) { in.ranks[j][a], in.ranks[j][b] = in.ranks[j][b], in.ranks[j][a] })
	}
	return in
}

// deferredAcceptance is the applicant-proposing deferred acceptance
// algorithm, written out plainly and apart from the engine: it returns
// each applicant's program index, or -1.
func (in *instance) deferredAcceptance() []int {
	pos := make([]map[int]int, len(in.ranks)) // program -> applicant -> rank position
	for j, r := range in.ranks {
		pos[j] = make(map[int]int, len(r))
		for k, i := range r {
			pos[j][i] = k
		}
	}
	next := make([]int, len(in.lists))   // next list entry each applicant proposes to
	held := make([][]int, len(in.seats)) // applicants each program holds
	match := make([]int, len(in.lists))
	for i := range match {
		match[i] = -1
	}
	free := make([]int, len(in.lists))
	for i := range free {
		free[i] = len(free) - 1 - i
	}
	for len(free) > 0 {
		i := free[len(free)-1]
		free = free[:len(free)-1]
		if next[i] >= len(in.lists[i]) {
			continue // exhausted their list: unmatched
		}
		j := in.lists[i][next[i]]
		next[i]++
		if in.seats[j] == 0 {
			free = append(free, i)
			continue
		}
		held[j] = append(held[j], i)
		match[i] = j
		if len(held[j]) <= in.seats[j] {
			continue
		}
		// Over capacity: the program lets its worst held applicant go.
		worst := 0
		for k, a := range held[j] {
			if pos[j][a] > pos[j][held[j][worst]] {
				worst = k
			}
		}
		out := held[j][worst]
		held[j] = slices.Delete(held[j], worst, worst+1)
		match[out] = -1
		free = append(free, out)
	}
	return match
}

// email is applicant i's e-mail address in the profile import.
func email(i int) string { return fmt.Sprintf("national-%06d@national.example.org", i) }

// profilesCSV is the profile import file of applicants from (inclusive)
// to to.
func (in *instance) profilesCSV(notice string, from, to int) []byte {
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	_ = w.Write([]string{"email", "name", "kind", "homeCountry", "degreeLevel", "birthYear", "fields",
		"noticeVersion", "dataProcessing", "crossBorderTransfer", "visibleToHosts"})
	for i := from; i < to; i++ {
		_ = w.Write([]string{email(i), fmt.Sprintf("National Applicant %d", i), "student", "IN", "master",
			strconv.Itoa(1995 + i%8), "2.2", notice, "true", "true", "false"})
	}
	w.Flush()
	return buf.Bytes()
}

// programsCSV is the program import file of programs from (inclusive) to
// to: hosted in Japan, with no eligibility rules.
func (in *instance) programsCSV(now time.Time, from, to int) []byte {
	day := func(d int) string { return now.AddDate(0, 0, d).Format(time.DateOnly) }
	regions := []string{"Tokyo", "Osaka", "Kyoto", "Miyagi", "Hyogo", "Fukuoka", "Aichi"}
	var buf bytes.Buffer
	w := csvexport.NewWriter(&buf)
	_ = w.Write([]string{"title", "description", "kind", "hostOrg", "hostCountry", "region", "fields", "seats",
		"startDate", "endDate", "applicationDeadline"})
	for j := from; j < to; j++ {
		s := in.seats[j]
		_ = w.Write([]string{fmt.Sprintf("National program %d", j), fmt.Sprintf("Program %d of the national round benchmark.", j),
			"internship", "National Consortium", "JP", regions[j%len(regions)], "2.2", strconv.Itoa(s),
			day(90), day(270), day(60)})
	}
	w.Flush()
	return buf.Bytes()
}

// ranksCSV is the round's rank-list import: one line per applicant, by
// profile id (an e-mail would do too, at the cost of a look-up by
// address), with program ids in rank order.
func (in *instance) ranksCSV(applicantIDs, programIDs []string, from, to int) []byte {
	var buf bytes.Buffer
	for i := from; i < to; i++ {
		list := in.lists[i]
		buf.WriteString(applicantIDs[i])
		for _, j := range list {
			buf.WriteByte(',')
			buf.WriteString(programIDs[j])
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// rankingCSV is program j's ranking import: one applicant id per line,
// best first.
func (in *instance) rankingCSV(j int, applicantIDs []string) []byte {
	var buf bytes.Buffer
	for _, i := range in.ranks[j] {
		buf.WriteString(applicantIDs[i])
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}
