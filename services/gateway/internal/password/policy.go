package password

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/talentbridge/platform/services/gateway/internal/domain"
	"github.com/talentbridge/platform/shared/fielderr"
)

// Length limits, in characters (Unicode code points after NFC).
const (
	MinLength = 12
	MaxLength = 128
)

//go:generate sh -c "go run ./internal/gencommon > common.txt"
//go:embed common.txt
var commonList string

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

func commonSet() map[string]struct{} {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 16000)
		for _, line := range strings.Split(commonList, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			common[line] = struct{}{}
		}
	})
	return common
}

// CommonCount is the number of passwords on the built-in list.
func CommonCount() int { return len(commonSet()) }

// Check applies the password rules: 12 to 128 characters, not on the list
// of common passwords (compared without regard to case), not one character
// repeated, and not built from the account's own e-mail address. The error
// is a *domain.ValidationError for the field "password" and never contains
// the password.
func Check(pw, email string) error {
	const field = "password"
	bad := func(fe fielderr.FieldError) error { return domain.Invalid(fe) }
	if !utf8.ValidString(pw) {
		return bad(fielderr.NewTextEncoding(field).Because("must be valid UTF-8"))
	}
	pw = norm.NFC.String(pw)
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return bad(fielderr.New(field, fielderr.PasswordTooShort, &fielderr.Params{Min: new(MinLength)}, "must be at least 12 characters"))
	case n > MaxLength:
		return bad(fielderr.New(field, fielderr.PasswordTooLong, &fielderr.Params{Max: new(MaxLength)}, "must be at most 128 characters"))
	}
	for _, r := range pw {
		if unicode.IsControl(r) {
			return bad(fielderr.NewControlCharacter(field))
		}
	}
	lower := strings.ToLower(pw)
	if _, ok := commonSet()[lower]; ok {
		return bad(fielderr.New(field, fielderr.PasswordCommon, nil, "is too common; choose a longer, less predictable passphrase"))
	}
	if strings.Count(lower, string([]rune(lower)[:1])) == n {
		return bad(fielderr.New(field, fielderr.PasswordRepeated, nil, "must not be one character repeated"))
	}
	if email = strings.ToLower(strings.TrimSpace(email)); email != "" {
		local, _, _ := strings.Cut(email, "@")
		if lower == email || (utf8.RuneCountInString(local) >= 4 && strings.Contains(lower, local)) {
			return bad(fielderr.New(field, fielderr.PasswordEmail, nil, "must not contain your e-mail address"))
		}
	}
	return nil
}
