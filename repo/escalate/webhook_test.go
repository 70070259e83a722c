package escalate

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deskhq/desk/repo/config"
)

// The body arrives as sent, signed as the receiver checks it: HMAC-SHA256
// of the body with the shared secret, hex, after "sha256=".
func TestPostWebhookSigns(t *testing.T) {
	t.Setenv("HOOK_SECRET", "s3cret")
	var got []byte
	var sig string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		sig = r.Header.Get("X-Desk-Signature")
	}))
	defer srv.Close()
	body := []byte(`{"escalated":[{"id":"TS-20261122-1"}]}`)
	if err := PostWebhook(context.Background(), config.Webhook{URL: srv.URL, SecretEnv: "HOOK_SECRET"}, body); err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write(body)
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); sig != want || string(got) != string(body) {
		t.Errorf("signature %q, body %s; want %q", sig, got, want)
	}
}

// A refusal, an unreachable server and a secret that is not set are
// WebhookErrors naming the URL; nothing is sent unsigned.
func TestPostWebhookFails(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		http.Error(w, "bad signature", http.StatusForbidden)
	}))
	defer srv.Close()
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	for _, tc := range []struct {
		hook config.Webhook
		want string
	}{
		{config.Webhook{URL: srv.URL}, "403 Forbidden: bad signature"},
		{config.Webhook{URL: dead.URL}, "connect"},
		{config.Webhook{URL: srv.URL, SecretEnv: "DESK_NO_SUCH_SECRET"}, "DESK_NO_SUCH_SECRET, which is not set"},
	} {
		err := PostWebhook(context.Background(), tc.hook, []byte("{}"))
		var we *WebhookError
		if !errors.As(err, &we) || we.URL != tc.hook.URL || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want a WebhookError saying %q", tc.hook, err, tc.want)
		}
	}
	if calls != 1 {
		t.Errorf("the server was called %d times, want 1 (never without the secret)", calls)
	}
}
