"""Slack hot-lead alerts through an incoming webhook: speed to lead, without personal data.

Each new member of the segment is announced once (mode insert_only): first name and the last
name's initial, company, title, score and its reasons, channel and source, and the lead id to
look them up in the CRM. No email, no phone. Leads go ten to a message, one message a second
at most (Slack's rate for incoming webhooks); 429 is retried after its Retry-After by the
session. Slack answers errors as plain text (`invalid_payload`, `no_service`, ...).
"""

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import requests

from activation.destinations.base import Change, Outcome
from leadpipe.config import DestinationConfig
from leadpipe.errors import AuthError
from leadpipe.http import RequestSpacer, build_session
from leadpipe.settings import require

if TYPE_CHECKING:
    from activation.plan import SyncSpec

WEBHOOK_SETTING = "LEADPIPE_SLACK_WEBHOOK_URL"
LEADS_PER_MESSAGE = 10
MESSAGES_PER_MINUTE = 50  # a little under one a second: no 429 at the edge
CANNOT_ERASE = "an incoming webhook cannot delete Slack messages: delete the alerts in Slack"
GONE = ("no_service", "channel_is_archived", "action_prohibited", "no_team")


def _line(fields: dict) -> str:
    """One lead as a line of Slack mrkdwn, with no more personal data than a name."""
    last = str(fields.get("last_name") or "")
    name = " ".join(filter(None, [fields.get("first_name"), f"{last[:1]}." if last else None]))
    who = ", ".join(
        filter(None, [name or "Someone", fields.get("job_title"), fields.get("company")])
    )
    score = fields.get("score")
    reasons = fields.get("reasons") or "no reasons recorded"
    origin = fields.get("source") or fields.get("channel") or "unknown source"
    return f"*{who}* (score {score}: {reasons}), from {origin} (lead `{fields.get('lead_id')}`)"


class Slack:
    name = "slack"
    modes = ("insert_only",)
    default_fields: ClassVar[dict[str, str]] = {
        "lead_id": "lead_id",
        "first_name": "first_name",
        "last_name": "last_name",
        "job_title": "job_title",
        "company": "company",
        "total_score": "score",
        "score_reasons": "reasons",
        "first_channel": "channel",
        "first_source": "source",
    }
    required_fields = ()
    gate_on = "email"
    lists_by_name = False
    secret_settings = (WEBHOOK_SETTING,)
    url_from = WEBHOOK_SETTING  # the webhook URL is a secret: from the environment
    can_erase = False

    def __init__(
        self, session: requests.Session, url: str, per_minute: float = MESSAGES_PER_MINUTE
    ):
        self.session = session
        self.url = url
        self.spacer = RequestSpacer(per_minute)
        self.requests = 0

    @classmethod
    def from_settings(cls, settings: DestinationConfig, spec: "SyncSpec") -> "Slack":
        url = require(os.environ.get(WEBHOOK_SETTING), WEBHOOK_SETTING, "The Slack webhook")
        per_minute = float(settings.options.get("messages_per_minute", MESSAGES_PER_MINUTE))
        return cls(build_session(), url, per_minute)

    def apply(
        self, mode: str, changes: list[Change], members: Callable[[], list[dict]]
    ) -> list[Outcome]:
        outcomes = []
        for start in range(0, len(changes), LEADS_PER_MESSAGE):
            batch = changes[start : start + LEADS_PER_MESSAGE]
            error = self._post(batch)
            outcomes += [Outcome(c.key, error is None, created=True, error=error) for c in batch]
        return outcomes

    def erase(self, changes: list[Change]) -> list[Outcome]:
        """An incoming webhook cannot delete a message (`can_erase` is False): the alerts held
        a first name, an initial and a company, never an email or phone."""
        return [Outcome(c.key, False, error=CANNOT_ERASE) for c in changes]

    def _post(self, batch: list[Change]) -> str | None:
        title = "New hot lead" if len(batch) == 1 else f"{len(batch)} new hot leads"
        lines = [_line(change.fields) for change in batch]
        body = {
            "text": f"{title}: " + "; ".join(line.replace("*", "") for line in lines),
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": title}},
                *({"type": "section", "text": {"type": "mrkdwn", "text": line}} for line in lines),
            ],
        }
        self.spacer.wait()
        response = self.session.post(self.url, json=body, timeout=30)
        self.requests += 1
        if response.ok:
            return None
        reason = response.text.strip()[:100] or f"HTTP {response.status_code}"
        if reason in GONE or response.status_code == 403:
            raise AuthError(
                f"Slack refused the webhook ({reason}): set {WEBHOOK_SETTING} to a live "
                "incoming-webhook URL."
            )
        return f"Slack answered {reason}"
