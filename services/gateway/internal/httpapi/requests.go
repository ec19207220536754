// Package httpapi is the identity part of the gateway's HTTP API: request
// and response types, the access table, and the mapping of domain errors to
// problem responses.
package httpapi

import (
	"io"
	"strings"
	"time"

	"github.com/talentbridge/platform/services/gateway/internal/app"
	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/web"
)

// SignupRequest is the body of POST /auth/signup.
type SignupRequest struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	Role         string `json:"role"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
}

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// RefreshRequest is the body of POST /auth/refresh and, optionally, of POST
// /auth/logout.
type RefreshRequest struct {
	RefreshToken string `json:"refreshToken"`
}

// CreateUserRequest is the body of POST /auth/users: an admin creating a
// coordinator.
type CreateUserRequest struct {
	Email        string `json:"email"`
	Password     string `json:"password"`
	Name         string `json:"name"`
	Organization string `json:"organization,omitempty"`
}

// DecodeSignup reads a sign-up body strictly (unknown fields are refused)
// and checks that the required fields are there and the role is one people
// may choose. The finer rules (address form, password policy, lengths) are
// the domain's.
func DecodeSignup(r io.Reader) (app.SignupInput, error) {
	var req SignupRequest
	if err := web.Decode(r, &req); err != nil {
		return app.SignupInput{}, err
	}
	var fields []web.FieldError
	fields = required(fields, "email", req.Email)
	fields = required(fields, "password", req.Password)
	fields = required(fields, "name", req.Name)
	role := domain.Role(req.Role)
	if !role.SelfService() {
		fields = append(fields, web.FieldError{Field: "role", Reason: "must be applicant or host"})
	}
	if len(fields) > 0 {
		return app.SignupInput{}, web.Invalid(fields...)
	}
	return app.SignupInput{Email: req.Email, Password: req.Password, Role: role, Name: req.Name, Organization: req.Organization}, nil
}

// DecodeLogin reads a sign-in body strictly.
func DecodeLogin(r io.Reader) (LoginRequest, error) {
	var req LoginRequest
	if err := web.Decode(r, &req); err != nil {
		return LoginRequest{}, err
	}
	var fields []web.FieldError
	fields = required(fields, "email", req.Email)
	// The password is not trimmed: spaces may be part of it.
	if req.Password == "" {
		fields = append(fields, web.FieldError{Field: "password", Reason: "is required"})
	}
	if len(fields) > 0 {
		return LoginRequest{}, web.Invalid(fields...)
	}
	return req, nil
}

func required(fields []web.FieldError, name, v string) []web.FieldError {
	if strings.TrimSpace(v) == "" {
		fields = append(fields, web.FieldError{Field: name, Reason: "is required"})
	}
	return fields
}

// UserResponse is an account as the API shows it.
type UserResponse struct {
	ID           string     `json:"id"`
	Email        string     `json:"email"`
	Name         string     `json:"name"`
	Organization string     `json:"organization,omitempty"`
	Role         string     `json:"role"`
	Status       string     `json:"status"`
	CreatedAt    time.Time  `json:"createdAt"`
	VerifiedAt   *time.Time `json:"verifiedAt,omitempty"`
}

func userResponse(u *domain.User) UserResponse {
	r := UserResponse{
		ID: u.ID, Email: u.Email, Name: u.Name, Organization: u.Organization,
		Role: string(u.Role), Status: string(u.Status), CreatedAt: u.CreatedAt,
	}
	if !u.VerifiedAt.IsZero() {
		t := u.VerifiedAt
		r.VerifiedAt = &t
	}
	return r
}

// TokenResponse is what sign-in and refresh return.
type TokenResponse struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	TokenType    string `json:"tokenType"`
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int `json:"expiresIn"`
	// RefreshExpiresIn is how long the refresh token lasts if unused.
	RefreshExpiresIn int `json:"refreshExpiresIn"`
}

// UserList is a page of accounts.
type UserList struct {
	Items    []UserResponse `json:"items"`
	Page     int            `json:"page"`
	PageSize int            `json:"pageSize"`
	Total    int64          `json:"total"`
}
