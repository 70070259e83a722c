package sla

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want Duration
		ok   bool
	}{
		{"90m", Duration{90, Minute}, true},
		{"1h", Duration{1, Hour}, true},
		{"3d", Duration{3, Day}, true},
		{"8bh", Duration{8, BusinessHour}, true},
		{"3bd", Duration{3, BusinessDay}, true},
		{"0m", Duration{0, Minute}, true},
		{"007h", Duration{7, Hour}, true},
		{"3x", Duration{}, false},
		{"", Duration{}, false},
		{"h", Duration{}, false},
		{"4", Duration{}, false},
		{"-1h", Duration{}, false},
		{"+1h", Duration{}, false},
		{"1.5h", Duration{}, false},
		{"1H", Duration{}, false},
		{" 1h", Duration{}, false},
		{"1h ", Duration{}, false},
		{"1h30m", Duration{}, false},
		{"1b", Duration{}, false},
		{"1bhh", Duration{}, false},
		{"99999999999999999999h", Duration{}, false},
		{"1000000bd", Duration{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if tt.ok && got.String() != tt.in && tt.in != "007h" {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
	_, err := ParseDuration("3x")
	const msg = `"3x": want a whole number and a unit: m, h, d (elapsed) or bh, bd (business time), e.g. "4h" or "3bd"`
	if err == nil || err.Error() != msg {
		t.Errorf("error for 3x = %v, want %s", err, msg)
	}
}

func TestDurationMethods(t *testing.T) {
	cal := defaultCal(t)
	tests := []struct {
		name     string
		d        Duration
		business bool
		length   time.Duration
	}{
		{"minutes are wall time", Duration{90, Minute}, false, 90 * time.Minute},
		{"a day is 24 hours", Duration{3, Day}, false, 72 * time.Hour},
		{"business hours", Duration{8, BusinessHour}, true, 8 * time.Hour},
		{"a business day is the calendar's day length", Duration{3, BusinessDay}, true, 27 * time.Hour},
		{"an invalid unit has no length", Duration{3, "x"}, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Business(); got != tt.business {
				t.Errorf("Business() = %v", got)
			}
			if got := tt.d.Length(cal); got != tt.length {
				t.Errorf("Length() = %v, want %v", got, tt.length)
			}
		})
	}
	var d Duration
	if err := d.UnmarshalText([]byte("3bd")); err != nil || d != (Duration{3, BusinessDay}) {
		t.Errorf("UnmarshalText(3bd) = %v, %v", d, err)
	}
	if b, _ := d.MarshalText(); string(b) != "3bd" {
		t.Errorf("MarshalText = %q", b)
	}
	if err := d.UnmarshalText([]byte("3 bd")); err == nil {
		t.Error("UnmarshalText(3 bd) succeeded")
	}
}

func TestFormatElapsed(t *testing.T) {
	tests := []struct {
		name string
		d    time.Duration
		u    Unit
		want string
	}{
		{"zero elapsed", 0, Hour, "0m"},
		{"seconds are dropped", 59 * time.Second, Minute, "0m"},
		{"minutes only", 26 * time.Minute, Hour, "26m"},
		{"hours and minutes", 3*time.Hour + 10*time.Minute + 40*time.Second, Hour, "3h10m"},
		{"whole hours drop the minutes", 4 * time.Hour, Hour, "4h"},
		{"days and hours for elapsed units", 52 * time.Hour, Day, "2d4h"},
		{"zero hours are left out between days and minutes", 24*time.Hour + 5*time.Minute, Minute, "1d5m"},
		{"negative", -90 * time.Minute, Hour, "-1h30m"},
		{"zero business", 0, BusinessDay, "0bh"},
		{"business minutes keep the bh part", 45 * time.Minute, BusinessHour, "0bh45m"},
		{"business hours and minutes", 12*time.Hour + 30*time.Minute, BusinessHour, "12bh30m"},
		{"business days are rendered in business hours", 27 * time.Hour, BusinessDay, "27bh"},
		{"unknown units render as elapsed", 90 * time.Minute, "x", "1h30m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FormatElapsed(tt.d, tt.u)
			if got != tt.want {
				t.Fatalf("FormatElapsed(%v, %q) = %q, want %q", tt.d, tt.u, got, tt.want)
			}
			back, business, err := ParseElapsed(got)
			if err != nil || business != tt.u.Business() || back != tt.d.Truncate(time.Minute) {
				t.Errorf("ParseElapsed(%q) = %v, %v, %v; want %v, %v", got, back, business, err, tt.d.Truncate(time.Minute), tt.u.Business())
			}
		})
	}
}

func TestParseElapsed(t *testing.T) {
	tests := []struct {
		in       string
		want     time.Duration
		business bool
		ok       bool
	}{
		{"90m", 90 * time.Minute, false, true},
		{"1d", 24 * time.Hour, false, true},
		{"2d4h1m", 52*time.Hour + time.Minute, false, true},
		{"3bh", 3 * time.Hour, true, true},
		{"", 0, false, false},
		{"-", 0, false, false},
		{"m", 0, false, false},
		{"4h2d", 0, false, false},
		{"1h1h", 0, false, false},
		{"3bh2h", 0, false, false},
		{"bh", 0, false, false},
		{"3bd", 0, false, false},
		{"1h 2m", 0, false, false},
		{"99999999999999999999m", 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, business, err := ParseElapsed(tt.in)
			if (err == nil) != tt.ok || got != tt.want || business != tt.business {
				t.Errorf("ParseElapsed(%q) = %v, %v, %v; want %v, %v, ok=%v", tt.in, got, business, err, tt.want, tt.business, tt.ok)
			}
		})
	}
}
