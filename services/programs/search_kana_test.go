package programs_test

import (
	"net/url"
	"slices"
	"testing"

	"github.com/talentbridge/platform/shared/platformtest"
)

// A search typed in half-width katakana finds a program whose title is in
// full-width katakana, through the public search endpoint.
func TestSearchHalfWidthKatakana(t *testing.T) {
	t.Parallel()
	e := start(t, platformtest.Options{}, nil)
	_, host := e.verifiedHost(t)
	e.published(t, host, e.body("プログラミング入門"))
	e.published(t, host, e.body("Robotics internship"))
	for _, q := range []string{"ﾌﾟﾛｸﾞﾗﾐﾝｸﾞ", "プログラミング"} {
		p := e.search(t, "", "q="+url.QueryEscape(q))
		if got, want := titles(p), []string{"プログラミング入門"}; !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
}
