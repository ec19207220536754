package ui

import (
	"embed"
	"fmt"
	"html"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Languages are the languages the UI speaks, English first (the fallback).
var Languages = []string{"en", "ja", "hi"}

// LangCookie remembers the language a visitor chose.
const LangCookie = "tb_lang"

// MissingMark brackets a message id that has no text, so a page with a
// missing translation is easy to spot (and to test for).
const (
	missingOpen  = "⟦"
	missingClose = "⟧"
)

//go:embed locales/*.toml
var localeFS embed.FS

// catalog is the message bundle of every language.
type catalog struct {
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	log        *slog.Logger
	matcher    language.Matcher

	mu       sync.Mutex
	reported map[string]bool
}

func newCatalog(log *slog.Logger) (*catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{bundle: b, localizers: map[string]*i18n.Localizer{}, log: log, reported: map[string]bool{}}
	tags := make([]language.Tag, 0, len(Languages))
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(localeFS, "locales/"+l+".toml"); err != nil {
			return nil, fmt.Errorf("load messages %s: %w", l, err)
		}
		// Each language falls back to nothing but itself: a missing key
		// shows as missing instead of as English.
		c.localizers[l] = i18n.NewLocalizer(b, l)
		tags = append(tags, language.MustParse(l))
	}
	c.matcher = language.NewMatcher(tags)
	return c, nil
}

// MessageIDs returns the ids defined for a language, sorted; tests compare
// them across languages.
func MessageIDs(lang string) ([]string, error) {
	raw, err := localeFS.ReadFile("locales/" + lang + ".toml")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := toml.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(m))
	for k := range m {
		ids = append(ids, k)
	}
	sort.Strings(ids)
	return ids, nil
}

// pick chooses the language of a request: the cookie, else the best match
// of Accept-Language, else English.
func (c *catalog) pick(r *http.Request) string {
	if ck, err := r.Cookie(LangCookie); err == nil && supported(ck.Value) {
		return ck.Value
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		tags, _, err := language.ParseAcceptLanguage(al)
		if err == nil && len(tags) > 0 {
			_, i, conf := c.matcher.Match(tags...)
			if conf != language.No {
				return Languages[i]
			}
		}
	}
	return "en"
}

func supported(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// text localizes id with params given as name, value pairs.
func (c *catalog) text(lang, id string, pairs ...any) string {
	loc, ok := c.localizers[lang]
	if !ok {
		loc = c.localizers["en"]
	}
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		c.missing(lang, id)
		return missingOpen + id + missingClose
	}
	return s
}

// has reports whether id has a text in lang.
func (c *catalog) has(lang, id string) bool {
	loc, ok := c.localizers[lang]
	if !ok {
		return false
	}
	s, err := loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil && s != ""
}

func (c *catalog) missing(lang, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reported[lang+" "+id] {
		return
	}
	c.reported[lang+" "+id] = true
	c.log.Warn("ui message missing", "lang", lang, "id", id)
}

// Raw marks a parameter of html as data the author of the platform did not
// write (a name, a title, a skill): it is escaped and wrapped so that it is
// not taken for UI text in need of translation.
type Raw string

// html localizes id like text and returns HTML: the message itself is the
// UI's own text, escaped; parameters are escaped too, and those given as Raw
// are wrapped in <span translate="no">.
func (c *catalog) html(lang, id string, pairs ...any) template.HTML {
	// Parameters go through the message as placeholders, so that escaping
	// the message cannot touch them and they cannot inject markup.
	ph := make([]any, len(pairs))
	repl := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		ph[i] = pairs[i]
		mark := "\x00" + strconv.Itoa(i) + "\x00"
		ph[i+1] = mark
		var h string
		switch v := pairs[i+1].(type) {
		case Raw:
			h = `<span translate="no">` + html.EscapeString(string(v)) + `</span>`
		case template.HTML:
			h = string(v)
		default:
			h = html.EscapeString(fmt.Sprint(v))
		}
		repl = append(repl, html.EscapeString(mark), h)
	}
	s := html.EscapeString(c.text(lang, id, ph...))
	return template.HTML(strings.NewReplacer(repl...).Replace(s))
}
