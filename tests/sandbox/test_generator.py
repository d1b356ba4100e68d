import re

from sandbox.generator import META_TEST_VALUE, Generator

RECORD_ID = {  # how each platform identifies a record
    "meta_lead_ads": lambda r: r["id"],
    "typeform": lambda r: r["token"],
    "hubspot_forms": lambda r: r["conversionId"],
    "linkedin_lead_sync": lambda r: r["id"],
    "google_ads": lambda r: r["leadFormSubmissionData"]["id"],
    "zoom_registrants": lambda r: r["id"],
    "zoom_participants": lambda r: r["id"],
    "gotowebinar_registrants": lambda r: str(r["registrantKey"]),
    "gotowebinar_attendees": lambda r: f"{r['sessionKey']}-{r['registrantKey']}",
    "tally": lambda r: r["id"],
    "intercom_contacts": lambda r: r["id"],
    "intercom_conversations": lambda r: r["id"],
}


def test_same_seed_same_records(data, generator):
    again = Generator(seed=7, now=generator.now).generate(400)
    for platform in RECORD_ID:
        assert again.records(platform) == data.records(platform)


def test_every_record_of_every_platform_has_its_true_person(data):
    records = [
        (platform, record_id(record))
        for platform, record_id in RECORD_ID.items()
        for stream in data.records(platform).values()
        for record in stream
    ]
    records += [  # imported rows are identified by their file and line
        ("imports", f"{batch}#{line}")
        for batch, rows in data.records("imports").items()
        for line in range(1, len(rows) + 1)
    ]
    assert len(records) == data.record_count == len(set(records))
    assert 400 <= data.record_count <= 401
    assert set(records) == set(data.truth)
    assert all(data.records(platform) for platform in RECORD_ID)


def test_people_appear_on_several_channels(data):
    platforms_of: dict[str, set[str]] = {}
    for (platform, _), person in data.truth.items():
        platforms_of.setdefault(person, set()).add(platform)
    assert sum(len(p) > 1 for p in platforms_of.values()) >= 20


def test_data_is_messy_like_real_leads():
    data = Generator(seed=3).generate(3000)
    values = [
        f["values"][0]
        for leads in data.meta_leads.values()
        for lead in leads
        for f in lead["field_data"]
    ]
    phones = [v for v in values if re.fullmatch(r"[+0][\d .()-]+", v)]
    assert any(p.startswith("+33 ") for p in phones)
    assert any(p.startswith("0033") for p in phones)
    assert any(re.fullmatch(r"0\d \d\d \d\d \d\d \d\d", p) for p in phones)
    emails = [v for v in values if "@" in v]
    assert any(e != e.strip() for e in emails)
    assert any(e.isupper() for e in emails)
    assert any("mailinator.com" in e or "yopmail.com" in e for e in emails)
    assert META_TEST_VALUE.format("email") in values
    checks = [
        d["is_checked"]
        for leads in data.meta_leads.values()
        for lead in leads
        for d in lead["custom_disclaimer_responses"]
    ]
    assert {"1", "true", "0"} <= set(checks)
