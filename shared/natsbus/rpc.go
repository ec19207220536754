package natsbus

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// RPCVersion is the version every request–reply service announces to
// $SRV discovery. The subjects, not this number, are the contract.
const RPCVersion = "1.0.0"

// Endpoint is one request–reply subject a service answers.
type Endpoint struct {
	// Name is the endpoint's name in $SRV.INFO, e.g. "export".
	Name string
	// Subject is the subject requesters send to, e.g. tb.rpc.profiles.export.
	Subject string
	// Queue is the queue group: one replica answers each request.
	Queue string
	// Handle answers one request. The reply is sent as JSON; when fail is
	// not nil it is sent through micro's error headers (Nats-Service-Error
	// and Nats-Service-Error-Code) with the same JSON body, so requesters
	// that read only the body see what they always saw.
	Handle func(data []byte) (reply any, fail *RPCError)
}

// RPCError is a failed request's code (an HTTP-like status, "400", "500",
// "503") and a description for the requester.
type RPCError struct {
	Code        string
	Description string
}

// Serve registers a nats.go/micro service called name answering the given
// endpoints, so each shows up in $SRV.PING/INFO/STATS. Stop the returned
// service to stop answering.
func Serve(nc *nats.Conn, name string, log *slog.Logger, endpoints ...Endpoint) (micro.Service, error) {
	svc, err := micro.AddService(nc, micro.Config{
		Name:    name,
		Version: RPCVersion,
		ErrorHandler: func(_ micro.Service, err *micro.NATSError) {
			log.Warn("request-reply endpoint", "subject", err.Subject, "err", err.Description)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("micro service %s: %w", name, err)
	}
	for _, ep := range endpoints {
		err := svc.AddEndpoint(ep.Name, answer(ep, log),
			micro.WithEndpointSubject(ep.Subject), micro.WithEndpointQueueGroup(ep.Queue))
		if err != nil {
			_ = svc.Stop()
			return nil, fmt.Errorf("endpoint %s on %s: %w", ep.Name, ep.Subject, err)
		}
	}
	return svc, nil
}

func answer(ep Endpoint, log *slog.Logger) micro.HandlerFunc {
	return func(req micro.Request) {
		reply, fail := ep.Handle(req.Data())
		body, err := json.Marshal(reply)
		if err != nil {
			log.Error("encode reply", "subject", ep.Subject, "err", err)
			fail, body = &RPCError{Code: "500", Description: "the reply could not be encoded"}, nil
		}
		if fail != nil {
			err = req.Error(fail.Code, fail.Description, body)
		} else {
			err = req.Respond(body)
		}
		if err != nil && req.Reply() != "" {
			log.Warn("answer request", "subject", ep.Subject, "err", err)
		}
	}
}
