//go:build !failpoints

package outbox

import "log/slog"

// failpoint does nothing: production binaries carry no failpoints.
type failpoint struct{}

func newFailpoint() failpoint { return failpoint{} }

func (failpoint) arm() {}

func (failpoint) at(*slog.Logger, string, string) {}
