"""The reader's side: sign up, confirm, unsubscribe (one click).

Never cached (`never_cache`: the edge and the page cache leave them alone),
and the sign-up form needs no CSRF cookie: nothing happens until the
address's owner follows the mailed link (double opt-in), so a forged post
can at most send someone a confirmation they can ignore, and the limits in
subscriptions.py cap even that.
"""

from django import forms
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import subscriptions
from .models import Newsletter


class SignUpForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
    newsletters = forms.ModelMultipleChoiceField(
        queryset=Newsletter.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one newsletter."},
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def sign_up(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscriptions.sign_up(
                request, form.cleaned_data["email"], form.cleaned_data["newsletters"]
            )
        except subscriptions.TooMany:
            return render(request, "newsletters/too_many.html", status=429)
        return render(request, "newsletters/check_your_inbox.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "newsletters/sign_up.html", {"form": form}, status=status)


@never_cache
def confirm(request, token):
    subscriber = subscriptions.confirm(token)
    if subscriber is None:
        return render(request, "newsletters/link_expired.html", status=400)
    return render(
        request,
        "newsletters/confirmed.html",
        {"newsletters": subscriber.newsletters.all()},
    )


@never_cache
@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    found = subscriptions.read_unsubscribe(token)
    if found is None:
        return render(request, "newsletters/link_expired.html", status=400)
    subscriber, newsletter = found
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber, newsletter)
        return render(
            request, "newsletters/unsubscribed.html", {"newsletter": newsletter}
        )
    # A GET only asks: link scanners in mail systems follow every link.
    return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter})
