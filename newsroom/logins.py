"""Admin login throttling: django-axes, configured for a site behind proxies.

Axes counts failed logins in the database (shared by every app server) and
refuses further attempts once a limit is reached. Two limits apply, both per
client address as seen through the trusted proxies (settings.py):

- one client and one account: `NEWSROOM_LOGIN_FAILURE_LIMIT` failures, then that
  client may not try that account for `NEWSROOM_LOGIN_LOCKOUT_SECONDS`;
- one client, any accounts: `NEWSROOM_LOGIN_CLIENT_FACTOR` times as many, so an
  office behind one address is not shut out by one mistyped password, while a
  client guessing across many usernames is still stopped.

Nobody else is affected: another client can always log in to the same account.
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import render


class ClientLimitsHandler(AxesDatabaseHandler):
    """Axes' database handler with a larger limit for a client across accounts.

    Axes compares every lockout parameter with one failure limit; the client-only
    count is scaled down by `NEWSROOM_LOGIN_CLIENT_FACTOR` before that comparison.
    The lockout parameters are `[["ip_address", "username"], "ip_address"]`, in
    that order.
    """

    def get_failures(self, request, credentials=None):
        per_account, per_client = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return max(per_account, per_client // settings.NEWSROOM_LOGIN_CLIENT_FACTOR)


def locked_out(request, original_response=None, credentials=None):
    """The admin's page saying how long to wait (AXES_LOCKOUT_CALLABLE)."""
    seconds = settings.NEWSROOM_LOGIN_LOCKOUT_SECONDS
    response = render(
        request,
        "admin/login_locked.html",
        {
            **admin.site.each_context(request),
            "title": "Too many failed logins",
            "is_nav_sidebar_enabled": False,
            "minutes": max(1, seconds // 60),
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
