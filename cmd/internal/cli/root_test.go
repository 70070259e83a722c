package cli

import "testing"

// TestVersion: desk version and desk --version print the version of the
// module desk was built from, "dev" for a test binary.
func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"version"}, "desk dev\n"},
		{[]string{"--version"}, "desk version dev\n"},
	} {
		out, stderr := runDesk(t, plain, tc.args...)
		if out != tc.want || stderr != "" {
			t.Errorf("desk %s: %q, %q; want %q", tc.args, out, stderr, tc.want)
		}
	}
	wantExit(t, exitUsage, "version", "extra")
}
