package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Type inserts text into the focused element (see Focus) as an IME would:
// the element gets beforeinput and input events, but no key events. With no
// editable element focused, nothing happens.
func (p *Page) Type(ctx context.Context, text string) error {
	return p.call(ctx, "Input.insertText", map[string]any{"text": text}, nil)
}

// Focus focuses the first element matching a CSS selector. It is an error
// when nothing matches or the element cannot take focus (hidden, disabled).
func (p *Page) Focus(ctx context.Context, selector string) error {
	sel, _ := json.Marshal(selector)
	expr := fmt.Sprintf(`(() => {
	const el = document.querySelector(%[1]s);
	if (!el) throw new Error("no element matches " + %[1]s);
	el.focus();
	if (document.activeElement !== el) throw new Error(%[1]s + " cannot take focus");
})()`, sel)
	return p.Eval(ctx, expr, nil)
}

// key describes a key for Input.dispatchKeyEvent.
type key struct {
	key, code string
	keyCode   int
	text      string // what the key types; "" for none
}

// keys are the named keys Press knows besides single characters.
var keys = map[string]key{
	"Enter":      {"Enter", "Enter", 13, "\r"},
	"Tab":        {"Tab", "Tab", 9, ""},
	"Escape":     {"Escape", "Escape", 27, ""},
	"Backspace":  {"Backspace", "Backspace", 8, ""},
	"Delete":     {"Delete", "Delete", 46, ""},
	"ArrowUp":    {"ArrowUp", "ArrowUp", 38, ""},
	"ArrowDown":  {"ArrowDown", "ArrowDown", 40, ""},
	"ArrowLeft":  {"ArrowLeft", "ArrowLeft", 37, ""},
	"ArrowRight": {"ArrowRight", "ArrowRight", 39, ""},
	"Home":       {"Home", "Home", 36, ""},
	"End":        {"End", "End", 35, ""},
	"PageUp":     {"PageUp", "PageUp", 33, ""},
	"PageDown":   {"PageDown", "PageDown", 34, ""},
	"Space":      {" ", "Space", 32, " "},
}

// modifiers are the CDP modifier bits.
var modifiers = map[string]int{"Alt": 1, "Control": 2, "Ctrl": 2, "Meta": 4, "Shift": 8}

// Press presses and releases a key in the focused element: a named key
// ("Enter", "Tab", "Escape", "Backspace", "Delete", "ArrowUp", "ArrowDown",
// "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown", "Space") or
// a single character, optionally after modifiers: "Shift+Tab", "Control+a".
// Enter in a form's text field submits the form, as it would for a visitor.
func (p *Page) Press(ctx context.Context, name string) error {
	k, mods, err := parseKey(name)
	if err != nil {
		return err
	}
	down := map[string]any{
		"type": "rawKeyDown", "key": k.key, "code": k.code, "modifiers": mods,
		"windowsVirtualKeyCode": k.keyCode, "nativeVirtualKeyCode": k.keyCode,
	}
	if k.text != "" {
		down["type"] = "keyDown"
		down["text"] = k.text
		down["unmodifiedText"] = k.text
	}
	if err := p.call(ctx, "Input.dispatchKeyEvent", down, nil); err != nil {
		return err
	}
	up := map[string]any{
		"type": "keyUp", "key": k.key, "code": k.code, "modifiers": mods,
		"windowsVirtualKeyCode": k.keyCode, "nativeVirtualKeyCode": k.keyCode,
	}
	return p.call(ctx, "Input.dispatchKeyEvent", up, nil)
}

// parseKey reads a key name for Press into the key and its modifier bits.
func parseKey(name string) (key, int, error) {
	// The key follows the last "+" that is not the name's last character,
	// so "Control++" is Control and "+".
	last, chord := name, ""
	if i := strings.LastIndexByte(name[:max(len(name)-1, 0)], '+'); i >= 0 {
		chord, last = name[:i], name[i+1:]
	}
	mods := 0
	if chord != "" {
		for m := range strings.SplitSeq(chord, "+") {
			bit, ok := modifiers[m]
			if !ok {
				return key{}, 0, fmt.Errorf("browsertest: press %q: unknown modifier %q", name, m)
			}
			mods |= bit
		}
	}
	k, ok := keys[last]
	if !ok {
		r, size := utf8.DecodeRuneInString(last)
		if size == 0 || size != len(last) || !unicode.IsPrint(r) {
			return key{}, 0, fmt.Errorf("browsertest: press %q: unknown key", name)
		}
		k = key{key: last, text: last}
		switch u := unicode.ToUpper(r); {
		case u >= 'A' && u <= 'Z':
			k.code, k.keyCode = "Key"+string(u), int(u)
		case r >= '0' && r <= '9':
			k.code, k.keyCode = "Digit"+last, int(r)
		}
	}
	// A chord with Control, Alt or Meta is a shortcut, not typing.
	if mods&(1|2|4) != 0 {
		k.text = ""
	}
	return k, mods, nil
}
