package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// A ScriptError is a JavaScript exception thrown, or a promise rejected, by
// an expression given to Eval.
type ScriptError struct {
	Expr  string
	Class string // the exception's class: "Error", "TypeError", "SyntaxError", ...; "" for a thrown non-object
	Text  string // as the console prints it: "Uncaught Error: boom" and the stack
}

// Error names the expression and what it threw.
func (e *ScriptError) Error() string {
	return fmt.Sprintf("browsertest: %s: %s", quote(e.Expr), e.Text)
}

// Eval evaluates a JavaScript expression in the page, waits for it when it is
// a promise, and decodes its value into out as encoding/json would (out may
// be nil). undefined decodes as null. A value JSON cannot hold (NaN,
// Infinity, a BigInt) is an error unless out is nil. An exception is
// returned as a *ScriptError.
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	var r struct {
		Result           remoteObject      `json:"result"`
		ExceptionDetails *exceptionDetails `json:"exceptionDetails"`
	}
	params := map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true, "userGesture": true}
	if err := p.call(ctx, "Runtime.evaluate", params, &r); err != nil {
		return err
	}
	if d := r.ExceptionDetails; d != nil {
		e := &ScriptError{Expr: expr, Text: d.text()}
		if d.Exception != nil {
			e.Class = d.Exception.ClassName
		}
		return e
	}
	if out == nil {
		return nil
	}
	if u := r.Result.UnserializableValue; u != "" {
		return fmt.Errorf("browsertest: %s: the value %s has no JSON form", quote(expr), u)
	}
	v := r.Result.Value
	if len(v) == 0 {
		v = json.RawMessage("null")
	}
	if err := json.Unmarshal(v, out); err != nil {
		return fmt.Errorf("browsertest: %s: %w", quote(expr), err)
	}
	return nil
}

// pollInterval is how often WaitFor evaluates its condition.
const pollInterval = 20 * time.Millisecond

// WaitFor evaluates the JavaScript expression cond until it is truthy (a
// promise is awaited) or ctx ends, and then says which condition was not
// met and the last exception it threw, if any. An exception is taken as
// "not yet" (the element may not exist yet), except a SyntaxError, which is
// returned at once. A navigation in between is not an error.
func (p *Page) WaitFor(ctx context.Context, cond string) error {
	ctx, cancel := bounded(ctx)
	defer cancel()
	// The newlines keep a trailing // comment in cond from eating the rest.
	expr := "Promise.resolve((\n" + cond + "\n)).then(v => !!v)"
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var last error
	for {
		var ok bool
		err := p.Eval(ctx, expr, &ok)
		var se *ScriptError
		switch {
		case err == nil && ok:
			return nil
		case err == nil:
			last = nil
		case errors.As(err, &se):
			if se.Class == "SyntaxError" {
				return fmt.Errorf("browsertest: wait for %s: %s", quote(cond), se.Text)
			}
			last = err
		case ctx.Err() != nil:
			// The evaluation was cut short; report the wait below.
		default:
			select {
			case <-p.gone:
				return p.goneErr()
			case <-p.b.done:
				return p.b.err
			default:
			}
			// The page is navigating: its context was destroyed under us.
			last = err
		}
		select {
		case <-ctx.Done():
			msg := fmt.Sprintf("browsertest: wait for %s: %v", quote(cond), ctx.Err())
			if se != nil {
				msg += "; it last threw " + se.Text
			} else if last != nil {
				msg += "; last error: " + last.Error()
			}
			return errors.New(msg)
		case <-tick.C:
		}
	}
}

// quote shortens a JavaScript snippet for an error message.
func quote(s string) string {
	const max = 80
	r := []rune(s)
	if len(r) > max {
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
