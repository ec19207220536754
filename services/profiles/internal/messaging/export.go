package messaging

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/talentbridge/platform/services/profiles/internal/app"
	profilesev "github.com/talentbridge/platform/shared/events/profiles"
	"github.com/talentbridge/platform/shared/natsbus"
)

// maxUserIDLen bounds the ids an export request may carry.
const maxUserIDLen = 200

// ExportEndpoint answers export requests on tb.rpc.profiles.export with
// this service's part (see shared/events/profiles for the convention). Its
// queue group makes one instance answer each request.
func ExportEndpoint(svc *app.Service, log *slog.Logger) natsbus.Endpoint {
	return natsbus.Endpoint{Name: "export", Subject: profilesev.ExportSubject(profilesev.ServiceProfiles), Queue: Service,
		Handle: func(data []byte) (any, *natsbus.RPCError) {
			fail := func(code, msg string) (any, *natsbus.RPCError) {
				return profilesev.ExportPart{Service: profilesev.ServiceProfiles, Error: msg}, &natsbus.RPCError{Code: code, Description: msg}
			}
			var req profilesev.ExportRequest
			if err := json.Unmarshal(data, &req); err != nil || strings.TrimSpace(req.UserID) == "" || len(req.UserID) > maxUserIDLen {
				return fail("400", `the request must be {"userId": "<id>"}`)
			}
			ctx, cancel := context.WithTimeout(context.Background(), profilesev.ExportTimeout)
			defer cancel()
			own, err := svc.Own(ctx, req.UserID)
			if err != nil {
				log.Error("export part", "err", err, "user_id", req.UserID)
				return fail("503", "the profiles store could not be read")
			}
			raw, err := json.Marshal(own)
			if err != nil {
				log.Error("encode export part", "err", err)
				return fail("500", "the profile could not be encoded")
			}
			return profilesev.ExportPart{Service: profilesev.ServiceProfiles, Data: raw}, nil
		}}
}

// Collector asks other services for their part of an export by NATS
// request–reply, all at once, each within a timeout.
type Collector struct {
	NC       *nats.Conn
	Log      *slog.Logger
	Services []string
	// Timeout per service; profilesev.ExportTimeout when zero.
	Timeout time.Duration
}

var _ app.Collector = (*Collector)(nil)

// Collect implements app.Collector.
func (c *Collector) Collect(ctx context.Context, userID string) (map[string]json.RawMessage, []string) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = profilesev.ExportTimeout
	}
	body, _ := json.Marshal(profilesev.ExportRequest{UserID: userID})
	var (
		mu          sync.Mutex
		wg          sync.WaitGroup
		parts       = map[string]json.RawMessage{}
		unavailable []string
	)
	for _, svc := range c.Services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, ok := c.ask(ctx, svc, body, timeout)
			mu.Lock()
			defer mu.Unlock()
			if ok {
				parts[svc] = data
			} else {
				unavailable = append(unavailable, svc)
			}
		}()
	}
	wg.Wait()
	return parts, unavailable
}

func (c *Collector) ask(ctx context.Context, svc string, body []byte, timeout time.Duration) (json.RawMessage, bool) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	msg, err := c.NC.RequestWithContext(ctx, profilesev.ExportSubject(svc), body)
	if err != nil {
		c.Log.Info("export: no answer", "service", svc, "err", err)
		return nil, false
	}
	var part profilesev.ExportPart
	if err := json.Unmarshal(msg.Data, &part); err != nil {
		c.Log.Warn("export: unreadable answer", "service", svc, "err", err)
		return nil, false
	}
	if part.Service != svc || part.Error != "" {
		c.Log.Warn("export: service answered with an error", "service", svc, "answered_as", part.Service, "error", part.Error)
		return nil, false
	}
	if len(part.Data) == 0 || string(part.Data) == "null" {
		return json.RawMessage(`{}`), true
	}
	return part.Data, true
}
