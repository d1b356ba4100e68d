"""How the HubSpot syncs honoured consent, against the generator's truth: sends to a mailbox one
of whose owners did not consent to the purpose, and the share of consenting people a sync's
segment includes that it reached.

A person's truth is their answer to each purpose (the generator gives every person one). A send
is without consent when anyone owning the mailbox answered no, or never answered. A person
should be reached for a purpose when a submitted record of theirs, on a channel that asks it,
carries a valid email, and everyone known on that email answered yes on it; mailboxes are
compared by the email's match key (the form two spellings of one mailbox share)."""

from collections import defaultdict

import duckdb

from enrichment.emails import enrich_email
from sandbox.generator import Person, SandboxData

PURPOSES = {"sales_contact": "consent_sales", "email_marketing": "consent_newsletter"}
BOTH = frozenset(PURPOSES)
ASKED = {  # which channels ask which purpose
    "meta_lead_ads": BOTH,
    "typeform": BOTH,
    "hubspot_forms": BOTH,
    "linkedin_lead_sync": BOTH,
    "google_ads": BOTH,
    "tally": BOTH,
    "zoom_registrants": frozenset({"sales_contact"}),
    "intercom_contacts": frozenset({"sales_contact"}),
}
# the sandbox's HubSpot syncs: how to tell what each sent (upserted contacts, list members)
SYNCS = {"hubspot_hot_leads": "sales_contact", "hubspot_nurture_list": "email_marketing"}


def _mailbox(email: str | None) -> str | None:
    if not email:
        return None
    checked = enrich_email(email)
    return checked[4] if checked[2] else None


def _agrees(person: Person, purpose: str) -> bool:
    return getattr(person, PURPOSES[purpose]) is True


def consent_quality(
    con: duckdb.DuckDBPyConnection,
    data: SandboxData,
    sent: dict[str, set[str]],
) -> dict[str, float | int]:
    """`sent`: purpose -> the emails HubSpot received for it. Returns the sends without consent,
    the people the syncs should reach and how many they reached."""
    owners: dict[str, set[str]] = defaultdict(set)  # mailbox -> people owning it
    for person in data.people.values():
        for email in (person.email, person.personal_email):
            if mailbox := _mailbox(email):
                owners[mailbox].add(person.person_id)
    without_consent = sum(
        1
        for purpose, emails in sent.items()
        for email in emails
        if not all(_agrees(data.people[p], purpose) for p in owners.get(_mailbox(email), ()))
    )
    members = set(
        con.execute(
            "select purpose, lead_id from marts.segment_memberships where segment in "
            "('hot_leads_sales_contact', 'warm_leads_nurture')"
        ).fetchall()
    )
    records = con.execute(
        """
        select split_part(contacts.source, '/', 1), contacts.record_id, crosswalk.lead_id,
            contacts.email_match_key, contacts.email_is_valid and not contacts.is_partial
        from intermediate.int_contacts_enriched as contacts
        inner join marts.lead_crosswalk as crosswalk using (source_record_key)
        where contacts.email_match_key is not null
        """
    ).fetchall()
    known_on: dict[str, set[str]] = defaultdict(set)  # mailbox -> people with a record on it
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)  # (purpose, mailbox) -> yes
    candidates = []
    for platform, record_id, lead_id, mailbox, readable in records:
        person_id = data.truth.get((platform, record_id))
        if person_id is None:
            continue
        known_on[mailbox].add(person_id)
        for purpose in ASKED.get(platform, ()) if readable else ():
            if _agrees(data.people[person_id], purpose):
                answered[(purpose, mailbox)].add(person_id)
                candidates.append((purpose, person_id, lead_id, mailbox))
    reached = {purpose: {_mailbox(email) for email in emails} for purpose, emails in sent.items()}
    expected: set[tuple[str, str]] = set()
    got: set[tuple[str, str]] = set()
    for purpose, person_id, lead_id, mailbox in candidates:
        everyone = known_on[mailbox] <= answered[(purpose, mailbox)]
        if (purpose, lead_id) in members and everyone:
            expected.add((purpose, person_id))
            if mailbox in reached.get(purpose, set()):
                got.add((purpose, person_id))
    return {
        "sends_without_consent": without_consent,
        "consented_in_segment": len(expected),
        "reached": len(got),
        "reach": len(got) / len(expected) if expected else 1.0,
    }


def hubspot_sends(con: duckdb.DuckDBPyConnection, hubspot, list_name: str) -> dict[str, set[str]]:
    """What the sandbox's HubSpot stand-in received, per purpose: the contacts the hot-leads
    sync wrote (sales contact) and the nurture list's members (email marketing)."""
    emails_by_id = {contact["id"]: email for email, contact in hubspot.contacts.items()}
    listed = {emails_by_id[i] for i in hubspot.list_named(list_name) if i in emails_by_id}
    written = con.execute(
        "select destination_id from ops.sync_state "
        "where sync_name = 'hubspot_hot_leads' and last_status = 'success'"
    ).fetchall()
    hot = {emails_by_id[i] for (i,) in written if i in emails_by_id}
    return {"sales_contact": hot, "email_marketing": listed}
