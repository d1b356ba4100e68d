"""Each stream of a source switches on and off on its own; the settings check names a wrong one."""

import pytest

from leadpipe.config import CONFIG_ENV
from leadpipe.errors import ConfigError
from orchestration.resources import build_resources
from orchestration.settings_check import check_settings

LINKEDIN = """
sources:
  linkedin_lead_sync:
    accounts: ["510200001"]
    disabled_streams: [{streams}]
syncs: {{}}
"""


@pytest.fixture
def configured(tmp_path, monkeypatch):
    def write(streams: str):
        path = tmp_path / "leadpipe.yml"
        path.write_text(LINKEDIN.format(streams=streams))
        monkeypatch.setenv(CONFIG_ENV, str(path))
        monkeypatch.setenv("LEADPIPE_LINKEDIN_ACCESS_TOKEN", "token")

    return write


def test_ad_analytics_switch_off_apart_from_the_lead_forms(configured):
    configured("linkedin_ad_analytics")
    check_settings()
    resources = build_resources()
    assert resources["linkedin_lead_sync"].enabled
    assert not resources["linkedin_ad_analytics"].enabled


def test_a_stream_the_source_does_not_have_is_named_with_the_ones_it_has(configured):
    configured("linkedin_ads")
    with pytest.raises(ConfigError) as error:
        check_settings()
    assert (
        "sources.linkedin_lead_sync.disabled_streams: 'linkedin_ads' is not one of its streams "
        "(linkedin_ad_analytics, linkedin_lead_sync)"
    ) in str(error.value)
