package notify

import (
	"slices"
	"testing"

	"github.com/talentbridge/platform/services/gateway/internal/notify/mailtext"
)

// Every code that goes out by e-mail has its texts in every language and a
// kind the settings page offers; every kind is used.
func TestMailKindTable(t *testing.T) {
	texts, err := mailtext.Load()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for code, kind := range mailKind {
		if !slices.Contains(MailKinds, kind) {
			t.Errorf("code %s maps to kind %q, which is not in MailKinds", code, kind)
		}
		used[kind] = true
		for _, lang := range mailtext.Languages {
			if _, _, err := texts.Render(lang, code, mailtext.Params{Name: "N", Program: "P", Round: "R"}); err != nil {
				t.Errorf("code %s has no %s mail: %v", code, lang, err)
			}
		}
	}
	for _, k := range MailKinds {
		if !used[k] {
			t.Errorf("kind %s is offered in the settings but no notification uses it", k)
		}
	}
}
