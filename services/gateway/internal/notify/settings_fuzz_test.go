package notify

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/talentbridge/platform/shared/web"
)

// DecodeSettings takes bodies straight from the network: whatever the
// bytes, it returns settings that name only known languages and kinds, or a
// 4xx problem, and never panics.
func FuzzDecodeSettings(f *testing.F) {
	for _, s := range []string{
		`{"language":"ja"}`, `{"email":{"results":false,"offers":true}}`, `{"language":"hi","email":{}}`,
		`{"language":"fr"}`, `{"email":{"spam":true}}`, `{"email":{"results":"no"}}`, `{"emailEnabled":true}`,
		`{"language":"ja","role":"admin"}`, `[]`, `null`, `{}`, `{"language":"ja"}{}`, ``, `{"email":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		s, err := DecodeSettings(bytes.NewReader(body))
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) || we.Status < 400 || we.Status >= 500 {
				t.Fatalf("DecodeSettings(%q) error = %#v, want a 4xx *web.Error", body, err)
			}
			return
		}
		if s.Language != "" && !slices.Contains([]string{"en", "ja", "hi"}, s.Language) {
			t.Fatalf("DecodeSettings(%q) accepted language %q", body, s.Language)
		}
		for k := range s.Email {
			if !slices.Contains(MailKinds, k) {
				t.Fatalf("DecodeSettings(%q) accepted kind %q", body, k)
			}
		}
	})
}
