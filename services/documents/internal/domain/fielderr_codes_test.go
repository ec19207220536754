package domain

import (
	"errors"
	"strings"
	"testing"

	apidocs "github.com/talentbridge/platform/shared/api/documents"
	"github.com/talentbridge/platform/shared/fielderr"
)

// TestEveryFieldErrorHasACode checks the field errors of uploads, reference
// requests and refused files: each has a known code and only its params.
func TestEveryFieldErrorHasACode(t *testing.T) {
	var fields []FieldError
	for _, err := range []error{
		Upload{Kind: "diary", Title: ""}.Validate(),
		Upload{Kind: apidocs.KindCV, Title: "\xff"}.Validate(),
		Upload{Kind: apidocs.KindCV, Title: strings.Repeat("t", 1000)}.Validate(),
		Upload{Kind: apidocs.KindCV, Title: "a\x01b"}.Validate(),
		ValidateRequest(&apidocs.ReferenceRequest{RefereeEmail: "not an address", Language: "fr"}),
	} {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("%v, want field errors", err)
		}
		fields = append(fields, ve.Fields...)
	}
	for _, fe := range []*FileError{TooLarge(), {Code: CodeType, Detail: "x"}, {Code: CodePDFBroken, Detail: "x"}, {Code: CodeMissingFile, Detail: "x"}} {
		fields = append(fields, fe.Field(apidocs.FieldFile))
	}
	seen := map[fielderr.Code]bool{}
	for _, f := range fields {
		seen[f.Code] = true
		if err := fielderr.Check(f); err != nil {
			t.Error(err)
		}
	}
	for _, c := range []fielderr.Code{fielderr.OneOf, fielderr.Required, fielderr.TooLong, fielderr.TextEncoding, fielderr.ControlCharacter,
		fielderr.Email, fielderr.FileTooLarge, fielderr.FileType, fielderr.FileDamaged, fielderr.FileEmpty} {
		if !seen[c] {
			t.Errorf("no bad upload in the corpus gave code %s", c)
		}
	}
}
