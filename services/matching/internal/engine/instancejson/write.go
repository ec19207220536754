package instancejson

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// Write writes in in the matchsolve input format, one applicant or program per line,
// with its allocation policies.
// Tied applicants in a program's order are written as a nested array (a tie group). The
// seed is not part of the format; matchsolve takes it as a flag.
func Write(w io.Writer, in *engine.Instance) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	appIDs := quoteAll(len(in.Applicants), func(i int) string { return in.Applicants[i].ID })
	progIDs := quoteAll(len(in.Programs), func(i int) string { return in.Programs[i].ID })
	regionOf := make([][]byte, len(in.Programs)) // quoted region id of each program
	for i, reg := range in.Regions {
		id, _ := json.Marshal(reg.ID)
		for k, p := range reg.Programs {
			// The format lists a region's programs in input order, so only that order
			// survives the trip.
			if p < 0 || p >= len(in.Programs) || (k > 0 && p <= reg.Programs[k-1]) {
				return fmt.Errorf("write instance: regions[%d] must list program indices in increasing order", i)
			}
			regionOf[p] = id
		}
	}

	bw.WriteString(`{"applicants": [`)
	for a, app := range in.Applicants {
		if a > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n  {\"id\": ")
		bw.Write(appIDs[a])
		bw.WriteString(`, "prefs": [`)
		for k, p := range app.Prefs {
			if k > 0 {
				bw.WriteByte(',')
			}
			bw.Write(progIDs[p])
		}
		bw.WriteString("]")
		if len(app.Categories) > 0 {
			bw.WriteString(`, "categories": `)
			bw.Write(quoteList(app.Categories))
		}
		bw.WriteString("}")
	}
	bw.WriteString("],\n\"programs\": [")
	for p, prog := range in.Programs {
		if p > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n  {\"id\": ")
		bw.Write(progIDs[p])
		bw.WriteString(`, "capacity": `)
		bw.WriteString(strconv.Itoa(prog.Capacity))
		bw.WriteString(`, "prefs": [`)
		for k := 0; k < len(prog.Prefs); {
			end := k + 1
			for prog.Ranks != nil && end < len(prog.Prefs) && prog.Ranks[end] == prog.Ranks[k] {
				end++
			}
			if k > 0 {
				bw.WriteByte(',')
			}
			if end-k > 1 {
				bw.WriteByte('[')
			}
			for j := k; j < end; j++ {
				if j > k {
					bw.WriteByte(',')
				}
				bw.Write(appIDs[prog.Prefs[j]])
			}
			if end-k > 1 {
				bw.WriteByte(']')
			}
			k = end
		}
		bw.WriteString("]")
		writeProgramPolicy(bw, &prog, regionOf[p])
		bw.WriteString("}")
	}
	bw.WriteString("]")
	writeRegions(bw, in.Regions)
	if len(in.Notes) > 0 {
		bw.WriteString(",\n\"notes\": [")
		for i, n := range in.Notes {
			if i > 0 {
				bw.WriteByte(',')
			}
			text, _ := json.Marshal(n.Text)
			bw.WriteString("\n  {\"applicant\": ")
			bw.Write(appIDs[n.Applicant])
			bw.WriteString(`, "program": `)
			bw.Write(progIDs[n.Program])
			bw.WriteString(`, "reason": `)
			bw.Write(text)
			bw.WriteString("}")
		}
		bw.WriteString("]")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// quoteAll JSON-encodes n strings once, since each id is written many times.
func quoteAll(n int, id func(int) string) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i], _ = json.Marshal(id(i)) // marshalling a string cannot fail
	}
	return out
}

// writeProgramPolicy writes a program's reserves, reserve order, region and target, when
// it has them. region is the quoted region id, or nil.
func writeProgramPolicy(bw *bufio.Writer, prog *engine.Program, region []byte) {
	if len(prog.Reserves) > 0 {
		bw.WriteString(`, "reserves": [`)
		for k, r := range prog.Reserves {
			if k > 0 {
				bw.WriteString(", ")
			}
			cat, _ := json.Marshal(r.Category)
			bw.WriteString(`{"category": `)
			bw.Write(cat)
			bw.WriteString(`, "seats": `)
			bw.WriteString(strconv.Itoa(r.Seats))
			bw.WriteString("}")
		}
		bw.WriteString("]")
	}
	if prog.ReserveOrder != engine.ReservesLast {
		bw.WriteString(`, "reserveOrder": "`)
		bw.WriteString(prog.ReserveOrder.String())
		bw.WriteString(`"`)
	}
	if region != nil {
		bw.WriteString(`, "region": `)
		bw.Write(region)
	}
	if prog.Target != nil {
		bw.WriteString(`, "target": `)
		bw.WriteString(strconv.Itoa(*prog.Target))
	}
}

// writeRegions writes the instance's regions, if any, without their programs: each
// program names its region.
func writeRegions(bw *bufio.Writer, regions []engine.Region) {
	if len(regions) == 0 {
		return
	}
	bw.WriteString(",\n\"regions\": [")
	for i, reg := range regions {
		if i > 0 {
			bw.WriteByte(',')
		}
		id, _ := json.Marshal(reg.ID)
		bw.WriteString("\n  {\"id\": ")
		bw.Write(id)
		bw.WriteString(`, "cap": `)
		bw.WriteString(strconv.Itoa(reg.Cap))
		bw.WriteString("}")
	}
	bw.WriteString("]")
}

// quoteList JSON-encodes a list of strings.
func quoteList(s []string) []byte {
	b, _ := json.Marshal(s) // marshalling strings cannot fail
	return b
}
