package matching

import (
	"time"

	"github.com/talentbridge/platform/shared/explain"
)

// RoundOutcome is a published round as one of its applicants sees it: the
// programs they took into it and what it gave them. A round that offered
// them nothing still appears, so a page can say "not matched in round X"
// instead of "results are not published".
type RoundOutcome struct {
	RoundID     string    `json:"roundId"`
	Name        string    `json:"name"`
	PublishedAt time.Time `json:"publishedAt"`
	// Choices are the program ids the applicant took into the round, in
	// their order.
	Choices []string `json:"choices"`
	// Matched is true when the round offered the applicant a place;
	// MatchID and ProgramID then name the offer.
	Matched   bool   `json:"matched"`
	MatchID   string `json:"matchId,omitempty"`
	ProgramID string `json:"programId,omitempty"`
	// Reasons say why the applicant did not get the programs they ranked
	// higher (or any, when unmatched).
	Reasons []explain.Reason `json:"reasons"`
}

// RoundOutcomes is the answer of GET /rounds/me, newest publication first.
type RoundOutcomes struct {
	Items []RoundOutcome `json:"items"`
}
