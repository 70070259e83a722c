package main

import (
	"testing"

	"github.com/deskhq/desk/repo/config"
)

// BenchmarkTicket measures generating and rendering one ticket, without I/O.
func BenchmarkTicket(b *testing.B) {
	cfg := config.Default("en")
	times, ids := creationTimes(cfg, 100000, until, 1)
	w := newWorld(cfg, until, 1, ids, times, nil)
	buf := make([]byte, 0, 8192)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := w.ticket(i % 100000)
		buf = t.render(buf)
	}
}
