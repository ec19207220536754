package events_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/talentbridge/platform/shared/events"
	"github.com/talentbridge/platform/shared/events/documents"
	"github.com/talentbridge/platform/shared/events/identity"
	"github.com/talentbridge/platform/shared/events/matching"
	"github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/events/programs"
)

// FuzzPayloads decodes arbitrary data as every payload type of every
// producer, as consumers do: a value or an error wrapping ErrMalformed
// (which dead-letters the message), never a panic.
func FuzzPayloads(f *testing.F) {
	for _, s := range []string{
		`{"userId":"u1","role":"host","status":"pending"}`,
		`{"id":"a1","kind":"student","languages":[{"code":"ja","level":"N2"}],"consents":{"dataProcessing":true}}`,
		`{"profileId":"a1"}`, `{"id":"p1","seats":2,"eligibility":{"maxAge":35}}`,
		`{"matchId":"m1","reasons":[{"code":"filled","params":{"rank":"3"}}]}`,
		`{"programIds":["p1"],"seed":-1}`, `{"applicationId":"a1","documentIds":["d1",7]}`,
		`{"interview":{"start":"2027-01-01T00:00:00Z","end":"nope"}}`, `{"messageId":"m","recipientIds":[null]}`, `{"documentId":"d1","size":-3,"sha256":"zz"}`, `{"languages":"all"}`, `[1,2]`, `null`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev := events.Envelope{Type: "fuzz", Data: json.RawMessage(data)}
		for _, v := range []any{
			&identity.UserCreated{}, &identity.UserVerified{}, &identity.UserDeleted{}, &identity.SessionRevoked{},
			&profiles.Profile{}, &profiles.ProfileErased{},
			&programs.Program{}, &programs.ProgramClosed{},
			&matching.ApplicationSubmitted{}, &matching.ApplicationWithdrawn{},
			&matching.RoundCompleted{}, &matching.MatchChanged{}, &matching.ApplicationDocuments{},
			&matching.ApplicationStaged{}, &matching.InterviewScheduled{}, &matching.MessageSent{},
			&documents.DocumentUploaded{}, &documents.DocumentDeleted{},
			&documents.ReferenceRequested{}, &documents.ReferenceReceived{},
		} {
			if err := ev.Decode(v); err != nil && !errors.Is(err, events.ErrMalformed) {
				t.Fatalf("Decode(%q) into %T = %v, not ErrMalformed", data, v, err)
			}
		}
	})
}
