package server

import (
	"net"
	"net/http"
	"strings"
)

// hostSet is the allow-list of Host header names: a browser page can reach
// the server under another name only through DNS rebinding (a name the
// attacker controls, re-pointed at 127.0.0.1), and such a page is
// same-origin to the browser, so the Host header is the one thing that
// tells it apart. Names are compared without their port, in lower case,
// without a trailing dot.
type hostSet map[string]bool

// newHostSet allows the loopback names (127.0.0.1, localhost, [::1]), the
// host of the listen address unless it is the unspecified address
// (0.0.0.0 or ::, which no client sends), and extra (names or addresses,
// with or without a port).
func newHostSet(addr string, extra []string) hostSet {
	hs := hostSet{"127.0.0.1": true, "localhost": true, "::1": true}
	if h, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(h); h != "" && (ip == nil || !ip.IsUnspecified()) {
			hs[normalHost(h)] = true
		}
	}
	for _, e := range extra {
		if h := normalHost(e); h != "" {
			hs[h] = true
		}
	}
	return hs
}

// normalHost returns the host name of a Host header value (or of an
// --allowed-hosts entry): without port and brackets, lower case, without
// a trailing dot.
func normalHost(v string) string {
	v = strings.TrimSpace(v)
	if h, _, err := net.SplitHostPort(v); err == nil {
		v = h
	}
	v = strings.TrimSuffix(strings.Trim(v, "[]"), ".")
	return strings.ToLower(v)
}

func (hs hostSet) allows(host string) bool {
	h := normalHost(host)
	return h != "" && hs[h]
}

// names lists the allowed names, for messages.
func (hs hostSet) names() []string {
	out := make([]string, 0, len(hs))
	for h := range hs {
		out = append(out, h)
	}
	return out
}

// checkHost refuses, before any routing, a request whose Host header is
// not on the allow-list: 421 Misdirected Request, for every path (API,
// pages and static files alike).
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hosts.allows(r.Host) {
			s.fail(w, r, errf(http.StatusMisdirectedRequest, codeHostNotAllowed, "Host",
				"本服务不接受主机名“%s”（防止 DNS 重绑定）；如需通过该名称访问，请用 --allowed-hosts 添加",
				"this server does not answer to host %q (a guard against DNS rebinding); to reach it under that name, add it with --allowed-hosts",
				clip(normalHost(r.Host))))
			return
		}
		next.ServeHTTP(w, r)
	})
}
