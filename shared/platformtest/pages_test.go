package platformtest

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestEnglishWordsCatchesEnglish proves the check the UI tests run on
// translated pages is not blind: English text and labels are caught, while
// content marked translate="no", the allowed names and skipped elements are
// not.
func TestEnglishWordsCatchesEnglish(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<html lang="ja"><head><title>Robotics Lab</title></head><body><p>応募する</p><p translate="no">Asha Rao</p><p>Apply now</p><button aria-label="Close">×</button><p>TalentBridge CSV</p></body></html>`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := EnglishWords(doc, "title"), []string{"Apply now", "Close"}; !slices.Equal(got, want) {
		t.Errorf("EnglishWords(skip title) = %q, want %q", got, want)
	}
	if got, want := EnglishWords(doc), []string{"Robotics Lab", "Apply now", "Close"}; !slices.Equal(got, want) {
		t.Errorf("EnglishWords = %q, want %q", got, want)
	}
}
