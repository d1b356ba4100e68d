"""The People Data Labs provider against its stand-in, and the cache that keeps its answers."""

import collections

import pytest

from enrichment import cache, providers
from enrichment.providers import PeopleDataLabs
from leadpipe.errors import AuthError
from leadpipe.http import build_session
from sandbox.generator import Generator
from sandbox.standins import PeopleDataLabsStandIn


@pytest.fixture
def people():
    return Generator(seed=3).generate(400)


def _provider(standin, key=None):
    session = build_session()
    session.headers["X-Api-Key"] = key or standin.token
    return PeopleDataLabs(session, standin.base_url)


def _business_emails(con, people):
    con.execute("create schema intermediate")
    emails = sorted({p.email for p in people.people.values() if p.email and p.company})
    con.execute(
        "create table intermediate.int_contacts_unioned as "
        "select unnest(?::varchar[]) as email_raw",
        [[*emails, "someone@gmail.com"]],
    )
    con.execute(  # no CRM opt-outs
        "create table intermediate.int_crm_contacts_unioned (email_raw varchar, phone_raw varchar, "
        "phone_region varchar, email_opted_out boolean, do_not_call boolean)"
    )
    cache.refresh(con, cache.EMAILS)


def test_matches_give_the_persons_fields_and_misses_are_none(people):
    owners = collections.Counter(p.email.lower() for p in people.people.values() if p.email)
    business = [  # a role inbox two people share answers as one of them: not checked here
        p
        for p in people.people.values()
        if p.company and p.email and "@" in p.email and owners[p.email.lower()] == 1
    ][:90]
    with PeopleDataLabsStandIn(people) as standin:
        emails = [p.email.lower() for p in business]
        answers = _provider(standin).lookup([*emails, "nobody@acme-industrie.fr"])
    assert answers[-1] is None
    matched = [(p, a) for p, a in zip(business, answers, strict=False) if a is not None]
    assert 0 < len(matched) < len(business)
    for person, answer in matched:
        assert answer["company"] == person.company.title()
        assert answer["job_title"] == (person.job_title.title() if person.job_title else None)
        assert answer["country_code"] == person.country


def test_only_business_emails_never_asked_are_asked_and_misses_are_remembered(con, people):
    _business_emails(con, people)
    business = con.execute(
        "select count(*) from ops.enrichment_emails where is_valid and company_domain is not null"
    ).fetchall()[0][0]
    with PeopleDataLabsStandIn(people) as standin:
        provider = _provider(standin)
        assert providers.refresh(con, provider) == business
        assert providers.refresh(con, provider) == 0
        assert len(standin.asked) == business and "someone@gmail.com" not in standin.asked
    found, missed = con.execute(
        f"select count(*) filter (where found), count(*) filter (where not found) "
        f"from {providers.TABLE}"
    ).fetchall()[0]
    assert found > 0 and missed > 0 and found + missed == business
    titled = con.execute(
        f"select count(*) from {providers.TABLE} where job_title is not null and seniority is null"
    ).fetchall()[0][0]
    assert titled == 0  # every title it gives carries its seniority and department


def test_a_wrong_key_names_the_setting(con, people):
    _business_emails(con, people)
    with PeopleDataLabsStandIn(people) as standin, pytest.raises(AuthError) as refused:
        providers.refresh(con, _provider(standin, key="wrong"))
    assert "LEADPIPE_PDL_API_KEY" in str(refused.value)
    assert con.execute(f"select count(*) from {providers.TABLE}").fetchall()[0][0] == 0


def test_a_spent_quota_is_waited_out_instead_of_refused(con, people):
    _business_emails(con, people)
    with PeopleDataLabsStandIn(people, per_minute=1, window_seconds=1) as standin:
        provider = _provider(standin)
        provider.batch_size = 40
        asked = providers.refresh(con, provider)
        assert asked > 80  # three batches or more, one allowed a second
        assert standin.rate_limited == 0
