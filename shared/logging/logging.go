// Package logging builds the platform's structured logger: slog with a JSON
// handler, a service attribute, and redaction of values that must never reach
// a log (passwords, tokens, statements).
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// redacted lists attribute keys whose values are replaced, compared in lower
// case. Logs must never hold secrets or an applicant's personal statement.
var redacted = map[string]bool{
	"password": true, "token": true, "accesstoken": true, "refreshtoken": true,
	"authorization": true, "cookie": true, "statement": true, "secret": true,
}

// New returns a JSON logger writing to w at the given level ("debug", "info",
// "warn", "error"; anything else means info).
func New(w io.Writer, service, level string) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{
		Level:       parseLevel(level),
		ReplaceAttr: redact,
	})
	return slog.New(h).With("service", service)
}

func parseLevel(s string) slog.Level {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	return slog.LevelInfo
}

func redact(_ []string, a slog.Attr) slog.Attr {
	if redacted[strings.ToLower(a.Key)] {
		return slog.String(a.Key, "[redacted]")
	}
	return a
}
