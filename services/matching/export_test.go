package matching_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/platformtest"
)

func TestExportPart(t *testing.T) {
	t.Parallel()
	m := newMarket(t)
	var r round
	m.must(http.MethodPost, "/rounds", m.coordinator(), map[string]any{"name": "R", "programIds": []string{m.p1, m.p2, m.p3}}, http.StatusCreated, &r)
	m.runRound(r.ID)

	ask := func(body string) profilesev.ExportPart {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		msg, err := m.env.Deps.Bus.NC.RequestWithContext(ctx, profilesev.ExportSubject(profilesev.ServiceMatching), []byte(body))
		if err != nil {
			t.Fatalf("export request: %v", err)
		}
		var part profilesev.ExportPart
		platformtest.DecodeJSON(t, msg.Data, &part)
		return part
	}
	part := ask(`{"userId":"a1"}`)
	if part.Service != "matching" || part.Error != "" {
		t.Fatalf("export part = %+v, want matching's data", part)
	}
	var data struct {
		ProfileCopy *struct {
			ID string `json:"id"`
		} `json:"profileCopy"`
		Applications []struct {
			ProgramID string `json:"programId"`
			Status    string `json:"status"`
		} `json:"applications"`
		RankList struct {
			ProgramIDs []string `json:"programIds"`
		} `json:"rankList"`
		Matches []struct {
			ProgramID string            `json:"programId"`
			Reasons   []json.RawMessage `json:"reasons"`
		} `json:"matches"`
		RoundExplanations []struct {
			RoundID string `json:"roundId"`
		} `json:"roundExplanations"`
	}
	platformtest.DecodeJSON(t, part.Data, &data)
	if data.ProfileCopy == nil || data.ProfileCopy.ID != "a1" || len(data.Applications) != 3 || len(data.RankList.ProgramIDs) != 3 {
		t.Errorf("a1's export = %+v, want the profile copy, 3 applications and a rank list of 3", data)
	}
	if len(data.Matches) != 1 || data.Matches[0].ProgramID != m.p2 || len(data.Matches[0].Reasons) == 0 {
		t.Errorf("a1's exported matches = %+v, want the match with %s and its reasons", data.Matches, m.p2)
	}
	if len(data.RoundExplanations) != 1 || data.RoundExplanations[0].RoundID != r.ID {
		t.Errorf("a1's exported rounds = %+v, want round %s", data.RoundExplanations, r.ID)
	}
	if bad := ask(`{}`); bad.Error == "" || bad.Service != "matching" {
		t.Errorf("export without a user = %+v, want an error from matching", bad)
	}
}
