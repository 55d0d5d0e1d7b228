// agglo dashboard: the token that reads uploaded data when the server has
// one (agglo serve --token). The token is kept in this browser
// (localStorage) and sent as a same-site cookie, which page loads and
// progress streams (they cannot send headers) carry; app.js sends it as a
// header with API calls. The texts come from the page.
(function () {
  'use strict';
  var KEY = 'agglo-token', RELOADED = 'agglo-token-reloaded';
  // CHECK is a read that needs the token: 200 with it, 401 without.
  var CHECK = '/api/v1/datasets';

  function stored() { try { return localStorage.getItem(KEY) || ''; } catch (e) { return ''; } }
  function hasCookie() { return document.cookie.split(';').some(function (c) { return c.trim().indexOf('agglo_token=') === 0; }); }
  function setCookie(t) { document.cookie = 'agglo_token=' + encodeURIComponent(t) + '; path=/; SameSite=Strict'; }
  function keep(t) {
    try { localStorage.setItem(KEY, t); } catch (e) { /* private mode: the cookie lasts the session */ }
    setCookie(t);
  }
  function forget() { try { localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ } }

  // reloadOnce loads the page again, at most once in a short while, so
  // that a browser that does not send the cookie is not sent round in
  // circles; it reports whether it reloaded.
  function reloadOnce() {
    var last = 0;
    try { last = Number(sessionStorage.getItem(RELOADED) || 0); } catch (e) { return false; }
    if (Date.now() - last < 10000) return false;
    try { sessionStorage.setItem(RELOADED, String(Date.now())); } catch (e) { return false; }
    // replace, not reload: a navigation started by this page is same-site,
    // so a SameSite=Strict cookie goes with it even when the page was
    // opened from a link on another site. A browser may drop a navigation
    // started while another one ends; the page is then still here a
    // moment later and asks once more.
    location.replace(location.href);
    setTimeout(function () { location.replace(location.href); }, 3000);
    return true;
  }

  // reloadWithCookie loads the page again once the cookie just set goes
  // with requests (a request made right after document.cookie is set may
  // leave without it); blocked is called when it does not.
  function reloadWithCookie(blocked) {
    var tries = 0;
    (function attempt() {
      fetch(CHECK, { credentials: 'same-origin' }).then(function (res) { return res.ok; }, function () { return false; }).then(function (ok) {
        if (ok) {
          if (!reloadOnce()) blocked();
          return;
        }
        if (++tries < 5) { setTimeout(attempt, 200); return; }
        blocked();
      });
    })();
  }

  var form = document.getElementById('token-form');
  if (!form) {
    // A dashboard page: with a token saved in this browser but no cookie
    // (a new browser session), set the cookie and load the page again so
    // that it lists the uploaded datasets.
    var t = stored();
    if (document.body.dataset.auth === 'true' && t && !hasCookie()) {
      setCookie(t);
      reloadWithCookie(function () { /* the page stays as it is */ });
    }
    return;
  }

  // The page that asks for the token: try the saved one, else the one
  // entered; a token the server accepts is kept and the page asked for
  // loads.
  var input = document.getElementById('token-input');
  var status = document.getElementById('token-status');
  function say(text, cls) { status.textContent = text; status.className = cls || ''; }
  function check(t) {
    return fetch(CHECK, { headers: { 'X-Agglo-Token': t }, credentials: 'omit' }).then(function (res) { return res.ok; });
  }
  function accept(t) {
    keep(t);
    reloadWithCookie(function () { say(form.dataset.blocked, 'error'); });
  }
  var saved = stored();
  if (saved) {
    say(form.dataset.checking, 'muted');
    check(saved).then(function (ok) {
      if (ok) { accept(saved); return; }
      forget();
      say(form.dataset.stale, 'error');
      input.focus();
    }, function () { say(form.dataset.failed, 'error'); });
  } else {
    input.focus();
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var t = input.value;
    if (!t) return;
    try { sessionStorage.removeItem(RELOADED); } catch (e) { /* none kept */ }
    check(t).then(function (ok) {
      if (ok) { accept(t); return; }
      say(form.dataset.wrong, 'error');
      input.select();
    }, function () { say(form.dataset.failed, 'error'); });
  });
})();
