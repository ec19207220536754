package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/talentbridge/platform/shared/config"
	"github.com/talentbridge/platform/shared/mail"
	"github.com/talentbridge/platform/shared/mail/mailtest"
)

func TestConfigErrors(t *testing.T) {
	ok := config.SMTP{Addr: "127.0.0.1:2525", From: "no-reply@example.org", TLS: "starttls", Timeout: time.Second}
	cases := []struct {
		name string
		edit func(*config.SMTP)
		want string // part of the error; "" = valid
	}{
		{"valid", func(*config.SMTP) {}, ""},
		{"off", func(c *config.SMTP) { c.Addr = "" }, ""},
		{"off with credentials", func(c *config.SMTP) { c.Addr, c.Username, c.Password = "", "u", "p" }, "TB_SMTP_ADDR is empty"},
		{"no port", func(c *config.SMTP) { c.Addr = "mail.example.org" }, "must be host:port"},
		{"bad port", func(c *config.SMTP) { c.Addr = "mail.example.org:smtp" }, "port must be a number"},
		{"unknown tls", func(c *config.SMTP) { c.TLS = "ssl" }, "TB_SMTP_TLS must be one of none|starttls|tls"},
		{"empty tls", func(c *config.SMTP) { c.TLS = "" }, "TB_SMTP_TLS must be one of"},
		{"implicit tls", func(c *config.SMTP) { c.TLS = "tls" }, ""},
		{"bad from", func(c *config.SMTP) { c.From = "nobody" }, "TB_SMTP_FROM"},
		{"user without password", func(c *config.SMTP) { c.Username = "u" }, "go together"},
		{"password in clear to a remote host", func(c *config.SMTP) {
			c.Addr, c.TLS, c.Username, c.Password = "mail.example.org:25", "none", "u", "p"
		}, "clear text"},
		{"password in clear on loopback", func(c *config.SMTP) { c.TLS, c.Username, c.Password = "none", "u", "p" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
			if _, serr := mail.NewSender(c); (serr == nil) != (err == nil) {
				t.Fatalf("NewSender error %v disagrees with Validate %v", serr, err)
			}
		})
	}
	t.Run("env defaults", func(t *testing.T) {
		t.Setenv("TB_SMTP_ADDR", "127.0.0.1:1025")
		c, err := config.Load[config.SMTP]()
		if err != nil {
			t.Fatal(err)
		}
		if c.TLS != "starttls" || c.From == "" || c.Timeout <= 0 {
			t.Fatalf("defaults = %+v, want starttls, a sender and a timeout", c)
		}
		if strings.Contains(config.SMTP{Addr: "h:1", Password: "secret"}.String(), "secret") {
			t.Fatal("String() shows the password")
		}
	})
	t.Run("disabled", func(t *testing.T) {
		s, err := mail.NewSender(config.SMTP{TLS: "starttls"})
		if err != nil {
			t.Fatal(err)
		}
		if !mail.IsDisabled(s) || !errors.Is(s.Send(context.Background(), mail.Message{}), mail.ErrDisabled) {
			t.Fatalf("NewSender without an address = %T, want Disabled", s)
		}
	})
}

func TestSMTPRoundTrip(t *testing.T) {
	for _, mode := range []mailtest.Options{
		{TLS: "none"},
		{TLS: "starttls", Username: "relay", Password: "s3cret"},
		{TLS: "tls", Username: "relay", Password: "s3cret"},
	} {
		t.Run(mode.TLS, func(t *testing.T) {
			srv := mailtest.Start(t, mode)
			s, err := mail.NewSender(srv.Config(), mail.WithTLSConfig(srv.ClientTLS()))
			if err != nil {
				t.Fatal(err)
			}
			id := mail.ID("01HEVENT", "hana@example.jp")
			m := mail.Message{To: "Hana <hana@example.jp>", Subject: "選考結果のお知らせ", MessageID: id,
				Text: "今回のラウンドでは、残念ながらマッチしませんでした。\nThank you.", HTML: "<p>今回は…</p>"}
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.WaitFor(t, 5*time.Second, mailtest.To("hana@example.jp"))
			if got.Subject != m.Subject {
				t.Errorf("subject = %q, want %q", got.Subject, m.Subject)
			}
			if strings.TrimSpace(got.Text) != m.Text || !strings.Contains(got.HTML, "今回は") {
				t.Errorf("bodies = %q / %q, want %q and the HTML", got.Text, got.HTML, m.Text)
			}
			if got.MessageID != "<"+id+">" {
				t.Errorf("Message-ID = %q, want <%s>", got.MessageID, id)
			}
			if got.TLS != (mode.TLS != "none") {
				t.Errorf("TLS = %v in mode %s", got.TLS, mode.TLS)
			}
			if !strings.Contains(got.From, "no-reply@talentbridge.test") {
				t.Errorf("envelope from = %q", got.From)
			}
		})
	}
	t.Run("starttls required but not offered", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: "none"})
		cfg := srv.Config()
		cfg.TLS = "starttls"
		s, err := mail.NewSender(cfg, mail.WithTLSConfig(srv.ClientTLS()))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(context.Background(), mail.Message{To: "a@example.org", Subject: "s", Text: "t",
			MessageID: mail.ID("e", "a@example.org")}); err == nil {
			t.Fatal("Send over a server without STARTTLS succeeded; want a refusal")
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("server received %d messages in clear text", n)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		srv := mailtest.Start(t, mailtest.Options{TLS: "starttls", Username: "relay", Password: "right"})
		cfg := srv.Config()
		cfg.Password = "wrong"
		s, _ := mail.NewSender(cfg, mail.WithTLSConfig(srv.ClientTLS()))
		if err := s.Send(context.Background(), mail.Message{To: "a@example.org", Subject: "s", Text: "t",
			MessageID: mail.ID("e", "a@example.org")}); err == nil {
			t.Fatal("Send with a wrong password succeeded")
		}
	})
}

func TestMessageValidate(t *testing.T) {
	good := mail.Message{To: "a@example.org", Subject: "s", Text: "t", MessageID: mail.ID("e", "a@example.org")}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]mail.Message{
		"bad to":           {To: "nope", Subject: "s", Text: "t", MessageID: good.MessageID},
		"header injection": {To: "a@example.org", Subject: "s\r\nBcc: x@evil.test", Text: "t", MessageID: good.MessageID},
		"no text":          {To: "a@example.org", Subject: "s", MessageID: good.MessageID},
		"bracketed id":     {To: "a@example.org", Subject: "s", Text: "t", MessageID: "<" + good.MessageID + ">"},
	} {
		if m.Validate() == nil {
			t.Errorf("%s: Validate() = nil, want an error", name)
		}
	}
	if mail.ID("e1", "A@Example.org") != mail.ID("e1", "a@example.org") || mail.ID("e1", "a@example.org") == mail.ID("e2", "a@example.org") {
		t.Error("ID must depend on the event and the recipient (case-insensitively) only")
	}
}
