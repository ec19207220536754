package httpapi

import (
	"bytes"
	"errors"
	"testing"

	apimatching "github.com/talentbridge/platform/shared/api/matching"
	"github.com/talentbridge/platform/shared/web"
)

// FuzzRequestBodies decodes arbitrary bytes as every request body of the
// matching API, the way the handlers do: either a value or a 4xx problem,
// never a panic or another kind of error.
func FuzzRequestBodies(f *testing.F) {
	for _, s := range []string{
		`{"programId":"p1"}`, `{"programIds":["p1","p2"]}`, `{"applicantIds":[]}`,
		`{"name":"Spring 2027","programIds":["p1"],"seed":42}`, `{"note":"ok"}`, `{"reason":"missing documents"}`,
		`{"programId":1}`, `{"id":"x"}`, `{`, ``, `[]`, `{"seed":1e400}`,
		`{"reasonCode":"other","reason":"full","note":"n"}`, `{"documentIds":["d1","d2"]}`, `{"documentIds":[1]}`,
		`{"slots":[{"start":"2027-01-01T09:00:00Z","end":"2027-01-01T10:00:00Z","mode":"online"}]}`,
		`{"slots":[{"start":"2027-13-01T09:00:00Z"}]}`, `{"slotId":"s1"}`, `{"body":"hello"}`,
		`{"audience":{"programId":"p1","stage":"shortlisted"},"subject":"s","body":"b"}`, `{"audience":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []any{&apimatching.ApplyRequest{}, &apimatching.RankingRequest{}, &apimatching.ProgramRankingRequest{}, &apimatching.RoundRequest{}, &apimatching.ApproveRequest{}, &apimatching.RejectRequest{},
			&apimatching.StageRequest{}, &apimatching.PassRequest{}, &apimatching.DocumentsRequest{}, &apimatching.SlotsRequest{},
			&apimatching.BookRequest{}, &apimatching.MessageRequest{}, &apimatching.BulkRequest{}}
		for _, v := range targets {
			err := web.Decode(bytes.NewReader(body), v)
			if err == nil {
				continue
			}
			var we *web.Error
			if !errors.As(err, &we) || we.Status < 400 || we.Status >= 500 {
				t.Fatalf("Decode(%q) into %T = %v, want a 4xx problem", body, v, err)
			}
		}
	})
}
