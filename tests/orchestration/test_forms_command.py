"""`leadpipe forms` reads each form's definition from the platform, shows what every question
maps to, flags a consent checkbox nobody mapped, and `--write` adds a suggestion to review while
the file's comments stay."""

from datetime import UTC, datetime

import pytest

from leadpipe.config import CONFIG_ENV, load_config, write_config
from sandbox.generator import Generator
from sandbox.platforms import serve
from tests.orchestration.leadpipe_command import leadpipe

META_FORM = "1100000000000001"


@pytest.fixture
def sandbox(tmp_path):
    data = Generator(seed=4, now=datetime(2026, 11, 20, tzinfo=UTC)).generate(60)
    with serve(data, hubspot_requests_per_10s=None) as platforms:
        platforms.environment()
        config = platforms.config()
        meta = config.sources["meta_lead_ads"].fields[META_FORM]
        dropped = next(key for key, field in meta.items() if field == "consent:email_marketing")
        del meta[dropped]  # the owner added a newsletter checkbox after the mapping was written
        path = write_config(config, tmp_path / "leadpipe.yml")
        path.write_text("# our forms, mapped by the marketing team\n" + path.read_text())
        settings = {CONFIG_ENV: str(path), **platforms.credentials()}
        yield {"path": path, "settings": settings, "dropped": dropped, "cwd": tmp_path}


def test_forms_lists_every_question_and_flags_the_unmapped_consent(sandbox):
    shown = leadpipe("forms", cwd=sandbox["cwd"], COLUMNS="200", **sandbox["settings"])
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    for form in (
        "meta_lead_ads form",
        "typeform form contactUs",
        "hubspot_forms form",
        "tally form",
    ):
        assert form in out
    assert "zoom form" in out and "consent:sales_contact" in out
    linkedin = out[out.index("linkedin_lead_sync form 6100001") :]
    assert "FIRST_NAME" in linkedin and "first_name" in linkedin and "41" in linkedin
    assert "phone_number" in out and "@" not in out  # questions, never people's answers
    line = next(row for row in out.splitlines() if sandbox["dropped"] in row)
    assert "consent? not mapped" in line
    assert "1 consent-like question(s) map to nothing" in shown.stderr
    assert "Traceback" not in shown.stderr


def test_write_adds_a_suggestion_to_review_and_keeps_the_file(sandbox):
    written = leadpipe("forms", "--write", cwd=sandbox["cwd"], **sandbox["settings"])
    assert written.returncode == 0, written.stderr
    text = sandbox["path"].read_text()
    assert text.startswith("# our forms, mapped by the marketing team")
    assert f"{sandbox['dropped']}: consent:email_marketing  # suggested by leadpipe forms" in text
    config = load_config(sandbox["path"])
    assert config.sources["meta_lead_ads"].fields[META_FORM][sandbox["dropped"]] == (
        "consent:email_marketing"
    )
    again = leadpipe("forms", cwd=sandbox["cwd"], COLUMNS="200", **sandbox["settings"])
    assert "consent? not mapped" not in again.stdout and "map to nothing" not in again.stderr
