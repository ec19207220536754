package instancejson

import (
	"bufio"
	"strconv"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// WriteResult writes the result in the shape of DESIGN.md §5, on one line:
//
//	{"matches": [{"applicant": "a1", "program": "p2"}], "unmatched": ["a3"], "blockingPairs": 0}
//
// Matches and unmatched applicants follow the applicants' input order, so the output is
// deterministic. With reasons, "explanations" lists every applicant in input order with
// the reasons for each program they ranked above their match; for an instance with
// policies, "reserves" then gives each reserve's seats that went to its category and that
// reverted, and "regions" each region's cap and how many it filled.
func WriteResult(w *bufio.Writer, in *engine.Instance, m *engine.Matching, cert engine.Certificate, reasons [][]engine.Reason) {
	var b []byte // one entry at a time, reused
	w.WriteString(`{"matches": [`)
	first := true
	for a, p := range m.ProgramOf {
		if p == engine.Unmatched {
			continue
		}
		b = b[:0]
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = append(b, `{"applicant": `...)
		b = appendString(b, in.Applicants[a].ID)
		b = append(b, `, "program": `...)
		b = appendString(b, in.Programs[p].ID)
		b = append(b, '}')
		w.Write(b)
	}
	w.WriteString(`], "unmatched": [`)
	first = true
	for a, p := range m.ProgramOf {
		if p != engine.Unmatched {
			continue
		}
		b = b[:0]
		if !first {
			b = append(b, ", "...)
		}
		first = false
		w.Write(appendString(b, in.Applicants[a].ID))
	}
	w.WriteString(`], "blockingPairs": `)
	w.WriteString(strconv.Itoa(cert.BlockingPairs))
	if reasons != nil {
		w.WriteString(`, "explanations": [`)
		for a, rs := range reasons {
			b = b[:0]
			if a > 0 {
				b = append(b, ", "...)
			}
			b = append(b, `{"applicant": `...)
			b = appendString(b, in.Applicants[a].ID)
			b = append(b, `, "reasons": [`...)
			for k, r := range rs {
				if k > 0 {
					b = append(b, ", "...)
				}
				b = appendReason(b, in, r)
			}
			b = append(b, "]}"...)
			w.Write(b)
		}
		w.WriteString("]")
		if in.HasPolicies() {
			writePolicyUse(w, in, m)
		}
	}
	w.WriteString("}\n")
}

// writePolicyUse writes, for an instance with policies, how each program's reserves were
// used ("reserves") and how full each region is ("regions").
func writePolicyUse(w *bufio.Writer, in *engine.Instance, m *engine.Matching) {
	progs, regions, err := engine.ExplainPolicies(in, m)
	if err != nil {
		return // Explain, which WriteResult's reasons came from, accepted the same input
	}
	var b []byte
	w.WriteString(`, "reserves": [`)
	first := true
	for _, pr := range progs {
		for _, u := range pr.Reserves {
			b = b[:0]
			if !first {
				b = append(b, ", "...)
			}
			first = false
			b = append(b, `{"program": `...)
			b = appendString(b, in.Programs[pr.Program].ID)
			b = append(b, `, "category": `...)
			b = appendString(b, u.Category)
			b = append(b, `, "seats": `...)
			b = strconv.AppendInt(b, int64(u.Seats), 10)
			b = append(b, `, "toCategory": `...)
			b = strconv.AppendInt(b, int64(u.ToCategory), 10)
			b = append(b, `, "reverted": `...)
			b = strconv.AppendInt(b, int64(u.Reverted), 10)
			w.Write(append(b, '}'))
		}
	}
	w.WriteString(`], "regions": [`)
	for i, r := range regions {
		b = b[:0]
		if i > 0 {
			b = append(b, ", "...)
		}
		reg := in.Regions[r.Region]
		b = append(b, `{"region": `...)
		b = appendString(b, reg.ID)
		b = append(b, `, "cap": `...)
		b = strconv.AppendInt(b, int64(reg.Cap), 10)
		b = append(b, `, "filled": `...)
		b = strconv.AppendInt(b, int64(r.Filled), 10)
		w.Write(append(b, '}'))
	}
	w.WriteString("]")
}

// appendReason writes one reason; numbers that do not apply to its code are left out.
func appendReason(b []byte, in *engine.Instance, r engine.Reason) []byte {
	b = append(b, `{"program": `...)
	b = appendString(b, in.Programs[r.Program].ID)
	b = append(b, `, "code": `...)
	b = appendString(b, string(r.Code))
	b = append(b, `, "text": `...)
	b = appendString(b, r.Text)
	if r.Code == engine.ReasonFilled || r.Code == engine.ReasonBlocking {
		b = append(b, `, "capacity": `...)
		b = strconv.AppendInt(b, int64(r.Capacity), 10)
		b = append(b, `, "yourRank": `...)
		b = strconv.AppendInt(b, int64(r.YourRank), 10)
		b = append(b, `, "lastAdmittedRank": `...)
		b = strconv.AppendInt(b, int64(r.LastAdmittedRank), 10)
		b = append(b, `, "tied": `...)
		b = strconv.AppendBool(b, r.Tied)
	}
	if r.Code == engine.ReasonRegionCap {
		b = append(b, `, "region": `...)
		b = appendString(b, r.Region)
		b = append(b, `, "cap": `...)
		b = strconv.AppendInt(b, int64(r.RegionCap), 10)
	}
	if r.Code == engine.ReasonReserved {
		b = append(b, `, "category": `...)
		b = appendString(b, r.Category)
		b = append(b, `, "seats": `...)
		b = strconv.AppendInt(b, int64(r.ReservedSeats), 10)
	}
	if r.Code == engine.ReasonExcluded {
		b = append(b, `, "note": `...)
		b = appendString(b, r.Note)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Input strings were checked to be valid UTF-8 by
// the decoder, so only quotes, backslashes and control characters need escaping.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
