"""A small warehouse holding one consented segment, for sync tests and the sync benchmark.

It has just the tables the consent gate reads: `marts.dim_leads`, `marts.segment_memberships`,
`marts.consent_current`, `marts.lead_crosswalk`, `intermediate.int_contacts_enriched` and
`intermediate.int_consent_events`. Person i is `ld_<i>` with `person<i>@acme.example` and a
French mobile, from one form record; every email and phone has a granted consent for the
segment's purpose, given on that record.
"""

import duckdb


def write_segment(
    con: duckdb.DuckDBPyConnection,
    people: int,
    segment: str = "hot_leads_sales_contact",
    purpose: str = "sales_contact",
) -> None:
    """Create (or replace) the tables with `people` members of `segment`."""
    for schema in ("marts", "intermediate"):
        con.execute(f"create schema if not exists {schema}")
    con.execute(
        f"""
        create or replace table marts.dim_leads as
        select
            'ld_' || i as lead_id,
            'person' || i || '@acme.example' as email,
            'person' || i || '@acme.example' as email_match_key,
            '+3361' || lpad(i::varchar, 7, '0') as phone_e164,
            'Jean' as first_name, 'Dupont' as last_name, 'Acme' as company,
            'CEO' as job_title, 'FR' as country_code, 'Une démo ?' as message,
            'b2b' as customer_type,
            'hot' as tier, 'A' as grade,
            60 as total_score, 'Senior decision maker; Demo request' as score_reasons,
            'typeform' as first_platform, 'web_form' as first_channel,
            'typeform/contactUs' as first_source
        from range(1, {people} + 1) t(i)
        """
    )
    con.execute(
        f"""
        create or replace table marts.segment_memberships as
        select '{segment}' as segment, '{purpose}' as purpose, lead_id, true as is_marketable
        from marts.dim_leads
        """
    )
    con.execute(
        """
        create or replace table marts.lead_crosswalk as
        select 'typeform:' || lead_id as source_record_key, lead_id from marts.dim_leads
        """
    )
    con.execute(
        """
        create or replace table intermediate.int_contacts_enriched as
        select 'typeform:' || lead_id as source_record_key, email, email_match_key, phone_e164
        from marts.dim_leads
        """
    )
    con.execute(
        f"""
        create or replace table intermediate.int_consent_events as
        select
            source_record_key, identifier_type, identifier, '{purpose}' as purpose,
            identifier_type as channel, 'granted' as status,
            timestamptz '2026-11-01 10:00:00+00' as event_at
        from (
            select source_record_key, 'email' as identifier_type, email_match_key as identifier
            from intermediate.int_contacts_enriched
            union all
            select source_record_key, 'phone', phone_e164 from intermediate.int_contacts_enriched
        )
        """
    )
    con.execute(
        f"""
        create or replace table marts.consent_current as
        select
            identifier_type, identifier, '{purpose}' as purpose, identifier_type as channel,
            'granted' as status, timestamptz '2026-11-01 10:00:00+00' as status_at,
            'typeform' as capture_platform
        from (
            select 'email' as identifier_type, email_match_key as identifier from marts.dim_leads
            union all
            select 'phone', phone_e164 from marts.dim_leads
        )
        """
    )
