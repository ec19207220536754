package password

import (
	"errors"
	"strings"
	"testing"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryRefusalHasACode: each password rule and each rule of an
// account's e-mail address and names refuses with its own known code.
func TestEveryRefusalHasACode(t *testing.T) {
	for pw, want := range map[string]fielderr.Code{
		"short":                           fielderr.PasswordTooShort,
		strings.Repeat("long words ", 20): fielderr.PasswordTooLong,
		"password1234":                    fielderr.PasswordCommon,
		"zzzzzzzzzzzzzzzz":                fielderr.PasswordRepeated,
		"asha.rao.kaveri-2026":            fielderr.PasswordEmail,
		"tab\tin the middle here":         fielderr.ControlCharacter,
		"\xff\xfe broken encoding here":   fielderr.TextEncoding,
	} {
		var ve *domain.ValidationError
		if err := Check(pw, "asha.rao@example.org"); !errors.As(err, &ve) {
			t.Errorf("Check(%q) = %v, want a validation error", pw, err)
			continue
		}
		if ve.Code != want || fielderr.Check(ve.FieldError()) != nil {
			t.Errorf("Check(%q) code = %s (%v), want %s", pw, ve.Code, fielderr.Check(ve.FieldError()), want)
		}
	}
	for in, want := range map[string]fielderr.Code{
		"":                    fielderr.Required,
		"no-at-sign.example":  fielderr.Email,
		"a\u200b@example.org": fielderr.FormatCharacter,
		strings.Repeat("a", 250) + "@example.org": fielderr.TooLong,
	} {
		var ve *domain.ValidationError
		if _, err := domain.NormalizeEmail(in); !errors.As(err, &ve) || ve.Code != want || fielderr.Check(ve.FieldError()) != nil {
			t.Errorf("NormalizeEmail(%q) = %v (code %v), want code %s", in, err, ve, want)
		}
	}
}
