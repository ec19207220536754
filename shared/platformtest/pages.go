package platformtest

import (
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// latinWord is a run of Latin letters long enough to be a word.
var latinWord = regexp.MustCompile(`[A-Za-z]{3,}`)

// untranslatable are the Latin words a translated page may show: names and
// abbreviations that stay as they are in every language.
var untranslatable = map[string]bool{
	"TalentBridge": true, "CSV": true, "JSON": true, "CEFR": true, "JLPT": true, "Ctrl": true,
}

// EnglishWords lists the text a reader of a translated page sees (text and
// the labelling attributes) that has Latin words, outside content marked
// translate="no" and outside script and style elements and the elements
// named in skip.
func EnglishWords(n *html.Node, skip ...string) []string {
	var out []string
	check := func(s string) {
		for _, w := range latinWord.FindAllString(s, -1) {
			if !untranslatable[w] {
				out = append(out, strings.TrimSpace(s))
				return
			}
		}
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" || slices.Contains(skip, n.Data) {
				return
			}
			for _, a := range n.Attr {
				if a.Key == "translate" && a.Val == "no" {
					return
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "aria-label", "title", "alt", "placeholder", "label":
					check(a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			check(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}
