package instancejson

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// Write writes in in the matchsolve input format, one applicant or program per line.
// Tied applicants in a program's order are written as a nested array (a tie group). The
// seed is not part of the format; matchsolve takes it as a flag.
func Write(w io.Writer, in *engine.Instance) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	appIDs := quoteAll(len(in.Applicants), func(i int) string { return in.Applicants[i].ID })
	progIDs := quoteAll(len(in.Programs), func(i int) string { return in.Programs[i].ID })

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
		bw.WriteString("]}")
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
		bw.WriteString("]}")
	}
	bw.WriteString("]")
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
