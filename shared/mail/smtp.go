package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/talentbridge/platform/shared/config"
)

// SMTP sends each message over its own connection to the configured
// server: notifications are few, and a fresh connection needs no keep-alive
// or reconnect logic.
type SMTP struct {
	cfg  Config
	opts []gomail.Option
}

// SMTPOption adjusts the SMTP sender.
type SMTPOption func(*smtpSettings)

type smtpSettings struct {
	tls *tls.Config
}

// WithTLSConfig sets the TLS settings for starttls and tls (tests use it to
// trust their own certificate; production relies on the system's roots).
func WithTLSConfig(c *tls.Config) SMTPOption {
	return func(s *smtpSettings) { s.tls = c }
}

// NewSMTP returns a sender for cfg, which must be enabled and valid.
func NewSMTP(cfg Config, opts ...SMTPOption) (*SMTP, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	if !cfg.Enabled() {
		return nil, errors.New("mail: TB_SMTP_ADDR is empty")
	}
	var set smtpSettings
	for _, o := range opts {
		o(&set)
	}
	host, portS, _ := net.SplitHostPort(cfg.Addr)
	port, _ := strconv.Atoi(portS)
	tc := set.tls
	if tc == nil {
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tc.ServerName == "" {
		tc = tc.Clone()
		tc.ServerName = host
	}
	o := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(cfg.Timeout), gomail.WithTLSConfig(tc)}
	switch cfg.TLS {
	case config.SMTPTLSNone:
		o = append(o, gomail.WithTLSPolicy(gomail.NoTLS))
	case config.SMTPTLSStartTLS:
		o = append(o, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case config.SMTPTLSImplicit:
		o = append(o, gomail.WithSSL())
	}
	if cfg.Username != "" {
		o = append(o, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	// Check the options once now, so a bad setting fails at start-up.
	if _, err := gomail.NewClient(host, o...); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	return &SMTP{cfg: cfg, opts: o}, nil
}

// Send delivers m. An error the server gave as permanent (5xx) is wrapped in
// ErrPermanent; anything else may succeed when tried again.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("%w: from: %w", ErrPermanent, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("%w: to: %w", ErrPermanent, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(time.Now())
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	host, _, _ := net.SplitHostPort(s.cfg.Addr)
	c, err := gomail.NewClient(host, s.opts...)
	if err != nil {
		return fmt.Errorf("mail: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && se.ErrorCode() >= 500 && se.ErrorCode() < 600 {
			return fmt.Errorf("%w: %w", ErrPermanent, err)
		}
		return fmt.Errorf("mail: send to %s: %w", s.cfg.Addr, err)
	}
	return nil
}

// ErrPermanent marks a message that will never be delivered as it is (a
// malformed address, a recipient the server refuses for good).
var ErrPermanent = errors.New("mail: permanent failure")
