# Varnish 7 in front of Newsroom's app servers (docs/deploy.md, Edge cache).
#
# Needs the xkey vmod (Debian: varnish-modules). What differs per site, the
# app servers and who may purge, is in site.vcl beside this file (copy
# site.vcl.example); start varnishd with -p vcl_path naming its folder.
#
# - Public pages are cached for as long as the site says (s-maxage) and
#   purged by surrogate key: the site tags each page with an `xkey` header and
#   its purge task sends `PURGE` with `xkey-purge` (hard) or `xkey-softpurge`.
# - PURGE is accepted only from the addresses in the `purgers` ACL.
# - Cookies are stripped from requests for public pages; a request with a
#   session (an editor) is passed, and so are the admin and previews.
# - Grace: while an app server answers, a purged or expired page is fetched
#   again at once; while none does, the stale page is served (up to a day).
# - A failed fetch (an app server killed, a 5xx) is tried again on the next
#   app server before any error reaches a reader; pages are not streamed,
#   so one cut off by a dying app server is fetched again, never delivered.
vcl 4.1;

import std;
import xkey;
import directors;

include "site.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed."));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        } elsif (req.http.xkey-softpurge) {
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
        } else {
            return (synth(400, "Name the keys in xkey-purge or xkey-softpurge."));
        }
        return (synth(200, "Purged " + req.http.n-gone + " objects."));
    }

    set req.backend_hint = app.backend();
    # Only the site's own X-Forwarded-For chain: this hop appends the client.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview)(/|$)" || req.url ~ "^/(healthz|readyz)$") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages are the same for everyone: cookies (CSRF, analytics) go.
    unset req.http.Cookie;
    unset req.http.Authorization;
    if (std.healthy(req.backend_hint)) {
        # A purged page is fetched again at once while the site answers.
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.status >= 500 && bereq.retries < 4 && bereq.method == "GET") {
        return (retry);  # the next app server
    }
    # The whole page before the reader gets any of it (pages are small): a
    # body cut off fails the fetch, which vcl_backend_error tries again.
    set beresp.do_stream = false;
    if (!beresp.http.xkey && bereq.url !~ "^/static/") {
        # Only what the site tagged as a public page (and static files) is
        # kept: not a 404 a scheduled story answers before its time, nor a
        # page for an editor.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Served stale while no app server answers (the site's stale-if-error).
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    # Until the probe takes a dead app server out of rotation, the round robin
    # may pick it again: a few tries, each an instant refusal.
    if (bereq.retries < 4 && bereq.method == "GET") {
        return (retry);
    }
}

sub vcl_deliver {
    # The keys are for this cache, not for readers.
    unset resp.http.xkey;
}
