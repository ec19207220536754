package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/talentbridge/platform/shared/fielderr"
)

// Message is a message in an application's thread (ApplicationID set) or
// a bulk message to an audience (Bulk, with Subject). RecipientIDs are the
// people it reaches besides its author, each once. An erased author's
// message keeps its id, author id and time; Body and Subject are emptied.
type Message struct {
	ID            string
	ApplicationID string
	ApplicantID   string
	ProgramID     string
	HostID        string
	AuthorID      string
	AuthorRole    string
	Subject       string
	Body          string
	Bulk          bool
	RecipientIDs  []string
	SentAt        time.Time
	Erased        bool
}

// MessageText checks a message's body (and, for a bulk message, its
// subject).
func MessageText(subject, body string, bulk bool) (string, string, error) {
	var errs fieldErrors
	subject, body = strings.TrimSpace(subject), strings.TrimSpace(body)
	switch {
	case body == "":
		errs.add(fielderr.NewRequired("body"))
	case !utf8.ValidString(body) || utf8.RuneCountInString(body) > MaxMessageLen:
		errs.add(fielderr.NewTooLong("body", MaxMessageLen).Because("is longer than %d characters", MaxMessageLen))
	}
	if bulk {
		switch {
		case subject == "":
			errs.add(fielderr.NewRequired("subject"))
		case !utf8.ValidString(subject) || utf8.RuneCountInString(subject) > MaxSubjectLen:
			errs.add(fielderr.NewTooLong("subject", MaxSubjectLen).Because("is longer than %d characters", MaxSubjectLen))
		}
	}
	return subject, body, errs.err()
}

// Recipients returns ids without the author, empty ids and repeats, in
// order of first appearance: a bulk message reaches each person once.
func Recipients(authorID string, ids ...string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if id != "" && id != authorID && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// Audience picks the people of a bulk message; every field given narrows
// it.
type Audience struct {
	RoundID, ProgramID, Stage, MatchStatus string
}

// Check checks an audience's shape: at least one field, known stage and
// match status.
func (a Audience) Check() error {
	var errs fieldErrors
	if a == (Audience{}) {
		errs.add(fielderr.NewRequired("audience").Because("is empty: give roundId, programId, stage or matchStatus"))
	}
	if a.Stage != "" && !slices.Contains(Stages, a.Stage) {
		errs.add(fielderr.NewOneOf("audience.stage", Stages).Because("must be one of %s", strings.Join(Stages, ", ")))
	}
	if a.MatchStatus != "" && !slices.Contains(MatchStatuses, a.MatchStatus) {
		errs.add(fielderr.NewOneOf("audience.matchStatus", MatchStatuses).Because("must be one of %s", strings.Join(MatchStatuses, ", ")))
	}
	for field, v := range map[string]string{"audience.roundId": a.RoundID, "audience.programId": a.ProgramID} {
		if len(v) > MaxIDLen {
			errs.add(fielderr.NewFormat(field, "id").Because("is not an id"))
		}
	}
	return errs.err()
}
