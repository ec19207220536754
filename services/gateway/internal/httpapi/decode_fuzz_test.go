package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	apiidentity "github.com/talentbridge/platform/shared/api/identity"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/web"
)

// The decoders take bodies straight from the network: whatever the bytes,
// they return either a request with its required fields present or a 4xx
// problem, and never panic.

func FuzzDecodeSignup(f *testing.F) {
	for _, s := range []string{
		`{"email":"asha@example.org","password":"violet kettle drums","role":"applicant","name":"Asha"}`,
		`{"email":"h@example.org","password":"violet kettle drums","role":"host","name":"H","organization":"Tohoku"}`,
		`{"email":"a@example.org","password":"x","role":"admin","name":"A"}`,
		`{"email":"a@example.org","role":"applicant","name":"A","status":"active"}`,
		`{"email":1}`, `[]`, `null`, `{}`, `{"email":"a"}{"x":1}`, `{"name":"\u0000"}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := DecodeSignup(bytes.NewReader(body))
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) || we.Status < 400 || we.Status >= 500 {
				t.Fatalf("DecodeSignup(%q) error = %#v, want a 4xx *web.Error", body, err)
			}
			return
		}
		if !in.Role.SelfService() {
			t.Fatalf("DecodeSignup(%q) accepted role %q", body, in.Role)
		}
		if strings.TrimSpace(in.Email) == "" || strings.TrimSpace(in.Password) == "" || strings.TrimSpace(in.Name) == "" {
			t.Fatalf("DecodeSignup(%q) = %+v with a required field empty", body, in)
		}
		// What was accepted encodes back to a body that decodes the same.
		raw, _ := json.Marshal(apiidentity.SignupRequest{Email: in.Email, Password: in.Password, Role: string(in.Role), Name: in.Name, Organization: in.Organization})
		again, err := DecodeSignup(bytes.NewReader(raw))
		if err != nil || again != in {
			t.Fatalf("re-decoding %s = %+v, %v; want %+v", raw, again, err, in)
		}
	})
}

func FuzzDecodeLogin(f *testing.F) {
	for _, s := range []string{
		`{"email":"asha@example.org","password":"violet kettle drums"}`,
		`{"email":"asha@example.org","password":""}`,
		`{"email":"  ","password":"x"}`,
		`{"email":"a@example.org","password":"x","role":"admin"}`,
		`{"email":["a"]}`, `"just a string"`, `{`, `{}`, `{"password":"\ud800"}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := DecodeLogin(bytes.NewReader(body))
		if err != nil {
			var we *web.Error
			if !errors.As(err, &we) || we.Status < 400 || we.Status >= 500 {
				t.Fatalf("DecodeLogin(%q) error = %#v, want a 4xx *web.Error", body, err)
			}
			return
		}
		if strings.TrimSpace(req.Email) == "" || req.Password == "" {
			t.Fatalf("DecodeLogin(%q) = %+v with a required field empty", body, req)
		}
		// The domain's normaliser copes with whatever got through.
		if e, err := domain.NormalizeEmail(req.Email); err == nil && e != strings.ToLower(strings.TrimSpace(req.Email)) {
			t.Fatalf("NormalizeEmail(%q) = %q", req.Email, e)
		}
	})
}

func TestDecodeSignupNamesTheField(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body, field string
		status      int
	}{
		{`{"email":"a@example.org","password":"p","role":"applicant","name":"A","ownerId":"x"}`, "ownerId", http.StatusBadRequest},
		{`{"email":"a@example.org","password":"p","role":"applicant"}`, "name", http.StatusBadRequest},
		{`{"email":"a@example.org","password":"p","role":"admin","name":"A"}`, "role", http.StatusBadRequest},
		{`{"email":7,"password":"p","role":"applicant","name":"A"}`, "email", http.StatusBadRequest},
	} {
		_, err := DecodeSignup(strings.NewReader(tc.body))
		var we *web.Error
		if !errors.As(err, &we) || we.Status != tc.status {
			t.Fatalf("DecodeSignup(%s) = %v, want %d", tc.body, err, tc.status)
		}
		found := false
		for _, f := range we.Fields {
			found = found || f.Field == tc.field
		}
		if !found {
			t.Errorf("DecodeSignup(%s) fields = %v, want %q named", tc.body, we.Fields, tc.field)
		}
	}
}
