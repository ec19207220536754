package instancejson

import (
	"encoding/json"
	"fmt"

	"github.com/talentbridge/platform/services/matching/internal/engine"
)

// decodeEncodingJSON is the encoding/json baseline of the decoder benchmark: it decodes
// the instance format into the same engine.Instance as Decode, handling well-formed input
// fully and bad input only roughly. TestDecodeRoundTrip checks it against Write.
// decodeEncodingJSON unmarshals the input with encoding/json into plain structs, then
// resolves ids with Go maps.
func decodeEncodingJSON(data []byte) (*engine.Instance, error) {
	var v struct {
		Applicants []struct {
			ID    string   `json:"id"`
			Prefs []string `json:"prefs"`
		} `json:"applicants"`
		Programs []struct {
			ID       string `json:"id"`
			Capacity int    `json:"capacity"`
			Prefs    []any  `json:"prefs"` // strings, or arrays of them for ties
		} `json:"programs"`
		Notes []struct {
			Applicant string `json:"applicant"`
			Program   string `json:"program"`
			Reason    string `json:"reason"`
		} `json:"notes"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	appIdx := make(map[string]int, len(v.Applicants))
	progIdx := make(map[string]int, len(v.Programs))
	in := &engine.Instance{Applicants: make([]engine.Applicant, len(v.Applicants)), Programs: make([]engine.Program, len(v.Programs))}
	for i, a := range v.Applicants {
		if _, dup := appIdx[a.ID]; dup || a.ID == "" {
			return nil, fmt.Errorf("applicants[%d]: empty or duplicate id", i)
		}
		appIdx[a.ID] = i
	}
	for i, p := range v.Programs {
		if _, dup := progIdx[p.ID]; dup || p.ID == "" {
			return nil, fmt.Errorf("programs[%d]: empty or duplicate id", i)
		}
		progIdx[p.ID] = i
	}
	for i, a := range v.Applicants {
		prefs := make([]int, len(a.Prefs))
		for k, id := range a.Prefs {
			p, ok := progIdx[id]
			if !ok {
				return nil, fmt.Errorf("unknown program id %q", id)
			}
			prefs[k] = p
		}
		in.Applicants[i] = engine.Applicant{ID: a.ID, Prefs: prefs}
	}
	for i, p := range v.Programs {
		groups := make([][]int, 0, len(p.Prefs))
		for _, e := range p.Prefs {
			var ids []any
			switch e := e.(type) {
			case string:
				ids = []any{e}
			case []any:
				ids = e
			}
			g := make([]int, 0, len(ids))
			for _, id := range ids {
				s, _ := id.(string)
				a, ok := appIdx[s]
				if !ok {
					return nil, fmt.Errorf("unknown applicant id %q", s)
				}
				g = append(g, a)
			}
			groups = append(groups, g)
		}
		prefs, ranks := engine.FlattenTies(groups)
		in.Programs[i] = engine.Program{ID: p.ID, Capacity: p.Capacity, Prefs: prefs, Ranks: ranks}
	}
	for _, n := range v.Notes {
		in.Notes = append(in.Notes, engine.Note{Applicant: appIdx[n.Applicant], Program: progIdx[n.Program], Text: n.Reason})
	}
	return in, nil
}
