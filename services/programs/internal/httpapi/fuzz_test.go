package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/talentbridge/platform/services/programs/internal/domain"
	"github.com/talentbridge/platform/shared/web"
)

// FuzzParseProgram feeds arbitrary bodies to the program decoder and the
// domain's validation, as POST /programs does. Refusals must be 400
// problems naming fields; what is accepted must survive a round trip
// through JSON unchanged and still be valid, and normalizing twice must
// change nothing. Seeds are in testdata/fuzz/FuzzParseProgram.
func FuzzParseProgram(f *testing.F) {
	f.Add([]byte(`{"title":"T","description":"D","kind":"exchange","hostOrg":"O","hostCountry":"JP","region":"Tokyo","fields":["1.2"],"seats":1,"startDate":"2027-06-01","endDate":"2027-08-31","applicationDeadline":"2027-03-31"}`))
	f.Add([]byte(`{"title":"T","description":"D","kind":"exchange","hostOrg":"O","hostCountry":"JP","region":"Tokyo","fields":["1.2"],"seats":3,"reserves":[{"category":"women","seats":1},{"category":"rural","seats":2}],"reserveOrder":"first","startDate":"2027-06-01","endDate":"2027-08-31","applicationDeadline":"2027-03-31"}`))
	f.Add([]byte(`{"title":"T","description":"D","kind":"exchange","hostOrg":"O","hostCountry":"JP","region":"Tokyo","fields":["1.2"],"seats":1,"reserves":[{"category":"caste","seats":0},{"category":"rural","seats":5}],"reserveOrder":"Middle","startDate":"2027-06-01","endDate":"2027-08-31","applicationDeadline":"2027-03-31"}`))
	now := time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseProgram(bytes.NewReader(data))
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) || we.Status != 400 {
				t.Fatalf("ParseProgram(%q) = %v, want a 400 problem", data, err)
			}
			return
		}
		n := c.Normalize()
		if !n.Normalize().Equal(n) {
			t.Fatalf("Normalize is not idempotent for %q", data)
		}
		if err := n.Validate(now); err != nil {
			var ve *domain.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("Validate(%q) = %v, want a *ValidationError naming fields", data, err)
			}
			for _, fe := range ve.Fields {
				if fe.Field == "" || fe.Reason == "" {
					t.Fatalf("Validate(%q): problem %+v lacks a field or reason", data, fe)
				}
			}
			return
		}
		raw, err := json.Marshal(RequestOf(n))
		if err != nil {
			t.Fatalf("encode %+v: %v", n, err)
		}
		back, err := ParseProgram(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("ParseProgram(RequestOf(%q)) = %v", data, err)
		}
		back = back.Normalize()
		if !back.Equal(n) || back.Validate(now) != nil {
			t.Fatalf("round trip of %q changed it: %+v, want %+v", data, back, n)
		}
	})
}
