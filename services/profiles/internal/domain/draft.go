package domain

import (
	"errors"
	"regexp"

	"github.com/talentbridge/platform/shared/fielderr"
)

// ErrDraftNotFound means the applicant has no draft, or only an expired
// one.
var ErrDraftNotFound = errors.New("draft not found")

// formRe is what a draft's form name may look like.
var formRe = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)

// CheckDraftForm checks the name of the form a draft belongs to. The rest
// of a draft is not checked: it is what its author typed so far.
func CheckDraftForm(form string) error {
	switch {
	case form == "":
		return &ValidationError{Problems: []Problem{fielderr.NewRequired("form")}}
	case !formRe.MatchString(form):
		return &ValidationError{Problems: []Problem{fielderr.NewFormat("form", "form_name").
			Because("must be lower-case letters and \"_\", at most 32, not %q", form)}}
	}
	return nil
}
