"""Erasure at the destinations: what a sync sent is erased there. A destination that is down
keeps its rows as `erase_failed` and is asked again on the next run; it never stops the
erasure of the others, nor raises."""

import json

from activation.destinations.webhook import Webhook
from activation.erasure import ERASE_FAILED, erase_at_destinations
from activation.plan import SyncSpec
from activation.sync import run_sync
from leadpipe.http import build_session
from sandbox.segment_warehouse import write_segment
from sandbox.standins import WebhookReceiver

SPEC = SyncSpec(
    name="hot_leads_hook",
    destination="webhook",
    segment="hot_leads_sales_contact",
    mode="mirror",
    fields=Webhook.default_fields,
)
NOWHERE = "http://127.0.0.1:9"  # nothing listens there


def _hook(url: str, receiver: WebhookReceiver) -> Webhook:
    return Webhook(build_session(), url, receiver.token, SPEC.name, 10)


def _state(con, key: str) -> list[tuple]:
    return con.execute(
        "select last_status, last_error from ops.sync_state where record_key = ?", [key]
    ).fetchall()


def test_a_destination_down_keeps_the_erasure_pending_and_the_next_run_completes_it(con):
    write_segment(con, 3)
    with WebhookReceiver(max_records=10) as receiver:
        run_sync(con, SPEC, _hook(receiver.url, receiver), "r1")
        assert "ld_2" in receiver.records

        down = erase_at_destinations(con, ["ld_2"], [SPEC], lambda _: _hook(NOWHERE, receiver))
        unreachable = (
            f"Cannot reach {NOWHERE}: check destinations.webhook.base_url in leadpipe.yml "
            "and the network."
        )
        assert json.loads(down) == {SPEC.name: {"erased": 0, "failed": 1, "error": unreachable}}
        assert _state(con, "ld_2") == [(ERASE_FAILED, unreachable)]
        assert "ld_2" in receiver.records

        back = erase_at_destinations(con, [], [SPEC], lambda _: _hook(receiver.url, receiver))
        assert json.loads(back) == {SPEC.name: {"erased": 1, "failed": 0}}
        assert "ld_2" not in receiver.records and {"ld_1", "ld_3"} <= set(receiver.records)
        assert _state(con, "ld_2") == []
