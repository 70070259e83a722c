package browsertest

import (
	"errors"
	"os"
)

// TB is the part of testing.TB that Skip uses, so that this package, which
// benchmarks use as well as tests, does not import testing.
type TB interface {
	Helper()
	Skip(args ...any)
	Fatal(args ...any)
}

// Skip ends a test that needs the browser Start could not give it: with
// ErrNoBrowser it skips the test, or fails it when the environment has
// DESK_REQUIRE_BROWSER=1; with any other error it fails the test. With a nil
// error it does nothing.
//
//	b, err := browsertest.Start(ctx)
//	browsertest.Skip(t, err)
func Skip(t TB, err error) {
	t.Helper()
	switch {
	case err == nil:
	case errors.Is(err, ErrNoBrowser) && os.Getenv("DESK_REQUIRE_BROWSER") != "1":
		t.Skip(err)
	default:
		t.Fatal(err)
	}
}
