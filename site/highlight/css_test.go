package highlight

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var cssRule = regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`)
var cssColor = regexp.MustCompile(`(?:^|;)color:#([0-9a-f]{6})`)

// palette reads the colour CSS gives each class in the rules of css.
func palette(t *testing.T, css string) map[string]string {
	colours := map[string]string{}
	for _, m := range cssRule.FindAllStringSubmatch(css, -1) {
		c := cssColor.FindStringSubmatch(m[2])
		if c == nil {
			continue
		}
		for _, sel := range strings.Split(m[1], ",") {
			sel = strings.TrimSpace(sel)
			name, ok := strings.CutPrefix(sel, "code .")
			if !ok {
				t.Errorf("selector %q is not scoped to code", sel)
			}
			colours[name] = c[1]
		}
	}
	return colours
}

// luminance is the WCAG 2 relative luminance of a colour written rrggbb.
func luminance(hex string) float64 {
	var l [3]float64
	for i := range l {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestCSSContrast checks that every class Write emits has a colour in both palettes, with
// WCAG AA contrast (4.5:1) against the code background of each.
func TestCSSContrast(t *testing.T) {
	light, dark, ok := strings.Cut(CSS, "@media (prefers-color-scheme: dark)")
	if !ok {
		t.Fatal("CSS has no dark palette")
	}
	for _, p := range []struct {
		name, css, background string
	}{{"light", light, "f6f8fa"}, {"dark", dark, "161b22"}} {
		colours := palette(t, p.css)
		for name := range classOf {
			c, ok := colours[name]
			if !ok {
				t.Errorf("%s palette: no colour for class %s", p.name, name)
				continue
			}
			if r := contrast(c, p.background); r < 4.5 {
				t.Errorf("%s palette: .%s #%s on #%s has contrast %.2f, under 4.5", p.name, name, c, p.background, r)
			}
		}
	}
}

func TestContrastFormula(t *testing.T) {
	if r := contrast("000000", "ffffff"); math.Abs(r-21) > 0.01 {
		t.Errorf("black on white: %.2f, want 21", r)
	}
	if r := contrast("777777", "ffffff"); math.Abs(r-4.48) > 0.01 {
		t.Errorf("#777 on white: %.2f, want 4.48", r)
	}
}
