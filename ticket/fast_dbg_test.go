package ticket

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDbgFallbacks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	shown, cr := 0, 0
	for i := 0; i < 20000; i++ {
		fm := genDoc(func(n int) int { return r.IntN(n) })
		var ft Ticket
		if decodeFastString(fm, &ft) {
			continue
		}
		if _, err := slowDecode(fm); err == nil {
			if strings.Contains(fm, "\r") {
				cr++
				continue
			}
			shown++
			if shown < 15 {
				p := fastPool.Get().(*fastParser)
				var tk Ticket
				p.s, p.i, p.t = fm, 0, &tk
				p.nodes = p.nodes[:0]
				p.run()
				ls := strings.LastIndex(fm[:p.i], "\n") + 1
				le := strings.Index(fm[p.i:], "\n")
				if le < 0 {
					le = len(fm) - p.i
				}
				t.Logf("stopped at line %q", fm[ls:p.i+le])
			}
		}
	}
	t.Logf("cr %d, other %d", cr, shown)
}
