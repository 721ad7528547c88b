"""The customer's feedback page (public, by a single-use link) and the feedback's free text for the
agency coordinators.

The link of a transaction (``/fi/palaute/<key>/``, ``/sv/respons/<key>/``, ``/en/feedback/<key>/``)
opens a plain form that works without JavaScript. A key that does not exist answers 404; a key that
has been used or has expired answers 410 (Gone): each with a page in the visitor's language saying so.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .forms import FeedbackForm

#: The status of each refusal: an unknown key is not found, a used or expired one is gone.
REFUSAL_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _refusal(request: HttpRequest, reason: str) -> HttpResponse:
    messages = {
        "unknown": _(
            "This feedback link is not valid. Check that the address is the same as on your receipt "
            "or on the screen."
        ),
        "used": _("Feedback has already been given with this link. Each link can be used once. Thank you!"),
        "expired": _("This feedback link has expired. Feedback can be given within two weeks of the visit."),
    }
    return render(
        request,
        "ledger/feedback_refused.html",
        {"message": messages[reason]},
        status=REFUSAL_STATUS[reason],
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone with the link (the customer, or the booth's screen after a meeting). GET shows
    the form while the key can be used; POST takes the feedback once and redirects to the thanks."""
    state = selectors.feedback_token_state(token=token)
    if state != "valid":
        return _refusal(request, state)
    if request.method == "POST":
        form = FeedbackForm(request.POST)
        if form.is_valid():
            try:
                services.feedback_submit(
                    token=token,
                    rating=form.cleaned_data["rating"],
                    met_need=form.cleaned_data["met_need"],
                    text=form.cleaned_data["text"],
                )
            except services.FeedbackRefused as refused:
                return _refusal(request, refused.reason)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("feedback:thanks")
        return render(request, "ledger/feedback_form.html", {"form": form}, status=400)
    return render(request, "ledger/feedback_form.html", {"form": FeedbackForm()})


@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    """Public: the thanks after feedback has been given."""
    return render(request, "ledger/feedback_thanks.html")


@never_cache
@login_required
@require_GET
def feedback_texts(request: HttpRequest) -> HttpResponse:
    """Agency coordinators (their agency's feedback) and administrators (all): the newest feedback
    with free text. Everyone else signed in: 403."""
    rows = selectors.feedback_text_list(viewer=request.user)
    return render(request, "ledger/feedback_texts.html", {"rows": rows})
