// Package httpapi is the identity part of the gateway's HTTP API: decoding
// the request bodies of shared/api/identity, the access table, and the
// mapping of domain errors to problem responses.
package httpapi

import (
	"io"
	"slices"
	"strings"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	apiidentity "github.com/talentbridge/platform/shared/api/identity"
	"github.com/talentbridge/platform/shared/fielderr"
	"github.com/talentbridge/platform/shared/web"
)

// DecodeSignup reads a sign-up body strictly (unknown fields are refused)
// and checks that the required fields are there and the role is one people
// may choose. The finer rules (address form, password policy, lengths) are
// the domain's.
func DecodeSignup(r io.Reader) (app.SignupInput, error) {
	var req apiidentity.SignupRequest
	if err := web.Decode(r, &req); err != nil {
		return app.SignupInput{}, err
	}
	var fields []web.FieldError
	fields = required(fields, "email", req.Email)
	fields = required(fields, "password", req.Password)
	fields = required(fields, "name", req.Name)
	role := domain.Role(req.Role)
	if !role.SelfService() {
		fields = append(fields, fielderr.NewOneOf("role", []string{string(domain.RoleApplicant), string(domain.RoleHost)}).Because("must be applicant or host"))
	}
	in := app.SignupInput{Email: req.Email, Password: req.Password, Role: role, Name: req.Name, Organization: req.Organization,
		Lang: req.Language}
	if len(fields) > 0 {
		// Say at once what the finer rules find in the fields given, too.
		for _, fe := range app.SignupProblems(in) {
			if !slices.ContainsFunc(fields, func(f web.FieldError) bool { return f.Field == fe.Field }) {
				fields = append(fields, fe)
			}
		}
		return app.SignupInput{}, web.Invalid(fields...)
	}
	switch req.Language {
	case "", "en", "ja", "hi":
	default:
		return app.SignupInput{}, web.Invalid(fielderr.NewOneOf("language", []string{"en", "ja", "hi"}))
	}
	return in, nil
}

// DecodeLogin reads a sign-in body strictly.
func DecodeLogin(r io.Reader) (apiidentity.LoginRequest, error) {
	var req apiidentity.LoginRequest
	if err := web.Decode(r, &req); err != nil {
		return apiidentity.LoginRequest{}, err
	}
	var fields []web.FieldError
	fields = required(fields, "email", req.Email)
	// The password is not trimmed: spaces may be part of it.
	if req.Password == "" {
		fields = append(fields, fielderr.NewRequired("password"))
	}
	if len(fields) > 0 {
		return apiidentity.LoginRequest{}, web.Invalid(fields...)
	}
	return req, nil
}

func required(fields []web.FieldError, name, v string) []web.FieldError {
	if strings.TrimSpace(v) == "" {
		fields = append(fields, fielderr.NewRequired(name))
	}
	return fields
}

// userResponse maps an account to its public form.
func userResponse(u *domain.User) apiidentity.UserResponse {
	r := apiidentity.UserResponse{
		ID: u.ID, Email: u.Email, Name: u.Name, Organization: u.Organization,
		Role: string(u.Role), Status: string(u.Status), CreatedAt: u.CreatedAt,
	}
	if !u.VerifiedAt.IsZero() {
		t := u.VerifiedAt
		r.VerifiedAt = &t
	}
	if !u.EmailVerifiedAt.IsZero() {
		t := u.EmailVerifiedAt
		r.EmailVerifiedAt = &t
	}
	if !u.DisabledAt.IsZero() {
		t := u.DisabledAt
		r.DisabledAt = &t
	}
	if !u.DeclinedAt.IsZero() {
		t := u.DeclinedAt
		r.DeclinedAt, r.DeclineReason = &t, u.DeclineReason
	}
	return r
}
