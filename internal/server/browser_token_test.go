package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agglo/internal/browsertest"
)

// newSession ends the browser session as closing the browser would: the
// session cookie and session storage go, the token saved in local storage
// stays. It runs on a page without scripts (the status), so that no
// dashboard script still at work sets the cookie again.
func (b *browser) newSession(extra string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Navigate(b.base+"/api/v1/status")(ctx, t); err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Evaluate[chromedp.Void](`document.cookie = 'agglo_token=; max-age=0; path=/'; sessionStorage.clear(); `+extra)(ctx, t)
	}
}

// tokenState describes the page for a failure's message: where it is,
// its cookie, when token.js last loaded it again.
const tokenState = `'page ' + document.body.dataset.page + ' at ' + location.href + ', cookie ' + document.cookie +
  ', reloaded ' + (Date.now() - Number(sessionStorage.getItem('agglo-token-reloaded') || 0)) + ' ms ago'`

// arrive waits until js holds on the page the browser ends up on: the
// token page, and token.js on a dashboard page, load the page again, and a
// wait running on the page that is replaced fails or stalls, so it is
// tried again, on the new page, until a minute has passed.
func (b *browser) arrive(what, js string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(b.bt.Ctx, 10*time.Second)
		err := chromedp.Do(ctx, b.wait(js))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			var state string
			ctx, cancel := context.WithTimeout(b.bt.Ctx, 5*time.Second)
			_ = chromedp.Do(ctx, browsertest.Into(&state, chromedp.Evaluate[string](tokenState)))
			cancel()
			problems, requests := b.bt.Take()
			b.t.Fatalf("%s: %v (page problems: %v; %s; requests %v)", what, err, problems, state, requests)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDashboardAsksForTheToken opens a page of an uploaded dataset as the
// first page of a browser session on a server with a token: the page asks
// for the token instead of failing with a JSON 401, refuses a wrong one,
// and with the right one shows the dataset. In a later session the saved
// token opens such a page, and the data page's list, without being asked
// again.
func TestDashboardAsksForTheToken(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := newEnv(t, Config{Token: "s3cret"})
	id := e.uploadID("mine.csv", []byte(okCSV))
	// The wrong token's check answers 401, which the browser logs.
	bt := browsertest.Start(t, "the dashboard's token page", 1366, 900, func(text string) bool { return strings.Contains(text, "401") })
	b := &browser{t: t, bt: bt, base: e.ts.URL, dir: browsertest.ArtifactsDir(t, "server")}
	u := e.ts.URL

	var h1, status, page, selected, tableText string
	b.run("first page of a session",
		chromedp.Navigate(u+"/compare?lang=en&dataset="+id),
		b.wait(`document.getElementById('token-form')`),
		browsertest.Into(&h1, chromedp.Text(chromedp.CSS("h1"))),
		browsertest.Into(&tableText, chromedp.Evaluate[string](`document.body.innerText`)),
		b.shot("token-page-en.png"),
	)
	if h1 != "Token needed" {
		t.Errorf("token page title %q", h1)
	}
	if strings.Contains(tableText, "mine") || strings.Contains(tableText, "unauthorized") {
		t.Errorf("the token page shows %q", tableText)
	}
	b.run("wrong token",
		chromedp.SetValue(chromedp.CSS("#token-input"), "nope"),
		chromedp.Click(chromedp.CSS("#token-submit")),
		b.wait(`document.getElementById('token-status').textContent !== ''`),
		browsertest.Into(&status, chromedp.Text(chromedp.CSS("#token-status"))),
		browsertest.Into(&page, chromedp.Evaluate[string](`document.body.dataset.page`)),
	)
	if status != "The token is not correct." || page != "token" {
		t.Errorf("after a wrong token: page %q, status %q", page, status)
	}
	b.run("right token",
		chromedp.SetValue(chromedp.CSS("#token-input"), "s3cret"),
		chromedp.Click(chromedp.CSS("#token-submit")),
	)
	b.arrive("the page after the token", `document.body.dataset.page === 'compare' && document.querySelector('#compare-table table')`)
	b.run("the page after the token",
		browsertest.Into(&selected, chromedp.Evaluate[string](`document.getElementById('dataset-select').selectedOptions[0].textContent`)),
		b.shot("token-accepted-compare-en.png"),
	)
	if !strings.Contains(selected, "mine") {
		t.Errorf("after the token the dataset selector shows %q", selected)
	}
	b.check()

	// A new session: the saved token opens the page without a question.
	b.run("later session",
		b.newSession(""),
		chromedp.Navigate(u+"/measures?lang=en&dataset="+id),
	)
	b.arrive("later session", `document.body.dataset.page === 'measures' && document.body.dataset.dataset === '`+id+`'`)
	b.run("later session",
		browsertest.Into(&selected, chromedp.Evaluate[string](`document.getElementById('dataset-select').selectedOptions[0].textContent`)),
	)
	if !strings.Contains(selected, "mine") {
		t.Errorf("in a later session the dataset selector shows %q", selected)
	}
	// The data page, opened first in a session, lists the upload.
	b.run("data page in a later session",
		b.newSession(""),
		chromedp.Navigate(u+"/data?lang=en"),
	)
	b.arrive("data page in a later session", `document.querySelector('#dataset-table tr[data-id="`+id+`"]')`)
	b.check()

	// A token saved before that the server no longer accepts is dropped,
	// and the page asks again.
	b.run("stale token",
		b.newSession(`localStorage.setItem('agglo-token', 'old')`),
		chromedp.Navigate(u+"/compare?lang=zh&dataset="+id),
	)
	b.arrive("stale token", `document.getElementById('token-status') && document.getElementById('token-status').textContent !== ''`)
	b.run("stale token",
		browsertest.Into(&status, chromedp.Text(chromedp.CSS("#token-status"))),
		browsertest.Into(&h1, chromedp.Text(chromedp.CSS("h1"))),
	)
	if h1 != "需要令牌" || !strings.Contains(status, "已不正确") {
		t.Errorf("with a stale token: title %q, status %q", h1, status)
	}
	var saved string
	b.run("stale token dropped", browsertest.Into(&saved, chromedp.Evaluate[string](`localStorage.getItem('agglo-token') || ''`)))
	if saved != "" {
		t.Errorf("the stale token %q is still saved", saved)
	}
	b.check()
}
