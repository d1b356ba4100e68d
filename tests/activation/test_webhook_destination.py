"""The signed webhook: batches, a signature the receiver checks, refused batches split."""

import hashlib
import hmac

import pytest

from activation.destinations.webhook import Webhook, signature
from activation.plan import SyncSpec
from activation.sync import run_sync
from leadpipe.errors import AuthError
from leadpipe.http import build_session
from sandbox.segment_warehouse import write_segment
from sandbox.standins import WebhookReceiver
from sandbox.standins.server import server_error


def _spec(mode="mirror"):
    return SyncSpec(
        name="hot_leads_hook",
        destination="webhook",
        segment="hot_leads_sales_contact",
        mode=mode,
        fields=Webhook.default_fields,
    )


@pytest.fixture
def warehouse(con):
    write_segment(con, 25)
    return con


def _sync(con, receiver, run_id, mode="mirror", secret=None, batch_size=10):
    hook = Webhook(
        build_session(), receiver.url, secret or receiver.token, "hot_leads_hook", batch_size
    )
    report = run_sync(con, _spec(mode), hook, run_id)
    return report, hook


def test_signature_is_hmac_of_timestamp_dot_body():
    digest = hmac.new(b"s3cret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert signature("s3cret", 1700000000, b'{"a":1}') == f"t=1700000000,v1={digest}"


def test_batches_are_signed_and_received(warehouse):
    with WebhookReceiver(max_records=10) as receiver:
        report, hook = _sync(warehouse, receiver, "r1")
        assert report.sent == report.succeeded == 25
        assert receiver.batches == [10, 10, 5] and hook.requests == 3
        assert receiver.records["ld_1"]["email"] == "person1@acme.example"


def test_mirror_sends_removals_and_an_unchanged_rerun_sends_nothing(warehouse):
    with WebhookReceiver() as receiver:
        _sync(warehouse, receiver, "r1")
        warehouse.execute("delete from marts.segment_memberships where lead_id = 'ld_2'")
        report, _ = _sync(warehouse, receiver, "r2")
        assert report.removed == 1 and "ld_2" not in receiver.records
        _, hook = _sync(warehouse, receiver, "r3")
        assert hook.requests == 0


def test_a_refused_batch_is_split_to_isolate_the_bad_record(warehouse):
    with WebhookReceiver() as receiver:
        receiver.refused_keys.add("ld_7")
        report, _ = _sync(warehouse, receiver, "r1")
        assert report.failed == 1 and report.succeeded == 24
        assert "ld_7" not in receiver.records
        receiver.refused_keys.clear()
        retried, _ = _sync(warehouse, receiver, "r2")
        assert retried.planned["retry"] == 1 and "ld_7" in receiver.records


def test_server_errors_are_retried_and_everything_arrives(warehouse):
    with WebhookReceiver() as receiver:
        receiver.faults.extend([server_error(), server_error()])
        report, _ = _sync(warehouse, receiver, "r1")
        assert report.succeeded == 25 and len(receiver.records) == 25


def test_a_wrong_secret_names_the_setting(warehouse):
    with WebhookReceiver() as receiver, pytest.raises(AuthError, match="LEADPIPE_WEBHOOK_SECRET"):
        _sync(warehouse, receiver, "r1", secret="wrong")
