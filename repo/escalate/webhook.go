package escalate

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/deskhq/desk/repo"
	"github.com/deskhq/desk/repo/config"
)

// WebhookError is a webhook the server did not accept, or could not be
// reached. What it was told about is committed already.
type WebhookError struct {
	URL string
	Err error
}

func (e *WebhookError) Error() string { return fmt.Sprintf("webhook %s: %v", e.URL, e.Err) }
func (e *WebhookError) Unwrap() error { return e.Err }

// PostWebhook posts body (JSON) to the [webhook] url. With secret_env set,
// the variable it names must hold a secret, and the body is signed with it
// as GitHub signs its webhooks: X-Desk-Signature: sha256=HEX(HMAC-SHA256).
// A status other than 2xx is an error that quotes the server's first words.
func PostWebhook(ctx context.Context, w config.Webhook, body []byte) error {
	fail := func(err error) error { return &WebhookError{URL: w.URL, Err: err} }
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fail(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "desk")
	if w.SecretEnv != "" {
		secret := os.Getenv(w.SecretEnv)
		if secret == "" {
			return fail(fmt.Errorf("webhook.secret_env names %s, which is not set; the body would go unsigned", w.SecretEnv))
		}
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(body)
		req.Header.Set("X-Desk-Signature", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return fail(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		words, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		msg := resp.Status
		if s := strings.TrimSpace(string(words)); s != "" {
			msg += ": " + repo.OneLine(s, 120)
		}
		return fail(fmt.Errorf("%s", msg))
	}
	return nil
}
