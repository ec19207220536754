package notify

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/BurntSushi/toml"

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

// Every code that goes out by e-mail is also worded on the notifications
// page in each language (the UI's "notify.<code>" messages), so no reader
// of Japanese or Hindi sees it in English only.
func TestMailCodesWordedInTheUI(t *testing.T) {
	for _, lang := range mailtext.Languages {
		raw, err := os.ReadFile(filepath.Join("..", "ui", "locales", lang+".toml"))
		if err != nil {
			t.Fatal(err)
		}
		var msgs map[string]any
		if err := toml.Unmarshal(raw, &msgs); err != nil {
			t.Fatalf("UI messages %s: %v", lang, err)
		}
		for code := range mailKind {
			if s, ok := msgs["notify."+code].(string); !ok || s == "" {
				t.Errorf("the UI has no %s wording for notification %s", lang, code)
			}
		}
	}
}
