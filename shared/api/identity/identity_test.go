package identity

import (
	"encoding/json"
	"testing"
	"time"
)

// The wire names are fixed by DESIGN.md §3; the gateway, its UI and the
// demo loader all use these types, so these tests are where a renamed tag
// is caught.

func TestRequestsWire(t *testing.T) {
	wire(t, SignupRequest{Email: "e", Password: "p", Role: "host", Name: "n"}, `{"email":"e","password":"p","role":"host","name":"n"}`)
	wire(t, SignupRequest{Email: "e", Password: "p", Role: "host", Name: "n", Organization: "o"},
		`{"email":"e","password":"p","role":"host","name":"n","organization":"o"}`)
	wire(t, LoginRequest{Email: "e", Password: "p"}, `{"email":"e","password":"p"}`)
	wire(t, RefreshRequest{RefreshToken: "r"}, `{"refreshToken":"r"}`)
	wire(t, CreateUserRequest{Email: "e", Password: "p", Name: "n"}, `{"email":"e","password":"p","name":"n"}`)
	wire(t, SignupRequest{Email: "e", Password: "p", Role: "applicant", Name: "n", Language: "ja"},
		`{"email":"e","password":"p","role":"applicant","name":"n","language":"ja"}`)
	wire(t, VerifyEmailRequest{Token: "t"}, `{"token":"t"}`)
	wire(t, ForgotPasswordRequest{Email: "e"}, `{"email":"e"}`)
	wire(t, ResetPasswordRequest{Token: "t", Password: "p"}, `{"token":"t","password":"p"}`)
	wire(t, ChangePasswordRequest{CurrentPassword: "a", NewPassword: "b"}, `{"currentPassword":"a","newPassword":"b"}`)
	wire(t, DisableUserRequest{Reason: "r"}, `{"reason":"r"}`)
}

func TestResponsesWire(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	wire(t, UserResponse{ID: "u", Email: "e", Name: "n", Role: "applicant", Status: "active", CreatedAt: at},
		`{"id":"u","email":"e","name":"n","role":"applicant","status":"active","createdAt":"2027-01-02T03:04:05Z"}`)
	wire(t, UserResponse{ID: "u", Organization: "o", VerifiedAt: &at, CreatedAt: at},
		`{"id":"u","email":"","name":"","organization":"o","role":"","status":"","createdAt":"2027-01-02T03:04:05Z","verifiedAt":"2027-01-02T03:04:05Z"}`)
	wire(t, UserResponse{ID: "u", CreatedAt: at, EmailVerifiedAt: &at, DisabledAt: &at},
		`{"id":"u","email":"","name":"","role":"","status":"","createdAt":"2027-01-02T03:04:05Z","emailVerifiedAt":"2027-01-02T03:04:05Z","disabledAt":"2027-01-02T03:04:05Z"}`)
	wire(t, AuditEntry{ID: "a", Actor: "x", Target: "y", Action: "disabled", At: at},
		`{"id":"a","actor":"x","target":"y","action":"disabled","at":"2027-01-02T03:04:05Z"}`)
	wire(t, TokenResponse{AccessToken: "a", RefreshToken: "r", TokenType: "Bearer", ExpiresIn: 900, RefreshExpiresIn: 3600},
		`{"accessToken":"a","refreshToken":"r","tokenType":"Bearer","expiresIn":900,"refreshExpiresIn":3600}`)
	wire(t, NotificationPage{Items: []Notification{{ID: "n", Code: "c", Text: "t", CreatedAt: at}}, Page: 1, PageSize: 20, Total: 1, Unread: 1},
		`{"items":[{"id":"n","code":"c","text":"t","createdAt":"2027-01-02T03:04:05Z","read":false}],"page":1,"pageSize":20,"total":1,"unread":1}`)
	wire(t, Notification{ID: "n", Code: "c", Params: map[string]string{"k": "v"}, Link: "/x", CreatedAt: at, Read: true},
		`{"id":"n","code":"c","params":{"k":"v"},"text":"","link":"/x","createdAt":"2027-01-02T03:04:05Z","read":true}`)
}

func wire(t *testing.T, v any, want string) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != want {
		t.Errorf("json.Marshal(%T) =\n%s\nwant\n%s", v, raw, want)
	}
}
