-- Rows of imported lists, read through their batch's column mapping (file column -> field),
-- in the direction the batch declares (an inbound event's list, or an outbound list). A batch
-- without a declared lawful basis and source gives every row a `source_problem`: quarantined,
-- not lost.
-- A row counts as extracted again when its batch's declaration changes (it may now flow).

with

batches as (
    select
        _record_id as batch,
        _extracted_at as declared_at,
        from_json(
            payload,
            '{"lawful_basis": "VARCHAR", "source": "VARCHAR", "captured_at": "VARCHAR",
              "direction": "VARCHAR", "declaration_problem": "VARCHAR",
              "columns": "MAP(VARCHAR, VARCHAR)"}'
        ) as declared
    from {{ source('imports', 'import_batches') }}
),

rows as (
    select
        _source,
        _record_id,
        _first_seen_at,
        _extracted_at,
        split_part(_source, '/', 2) as batch,
        payload
    from {{ source('imports', 'import_rows') }}
),

mapped as (
    select
        rows.*,
        batches.declared,
        batches.declared_at,
        list_transform(
            map_entries(batches.declared.columns),
            lambda c: {{ answer(
                'c.value',
                "'canonical'",
                "json_extract_string(
                    rows.payload, '/' || replace(replace(c.key, '~', '~0'), '/', '~1')
                )"
            ) }}
        ) as answers
    from rows
    left join batches on rows.batch = batches.batch
)

select
    _source || ':' || _record_id as source_record_key,
    'imports' as platform,
    _source as source,
    _record_id as record_id,
    batch as form_id,
    batch as campaign_id,
    coalesce(declared.source, batch) as campaign_name,
    null::varchar as ad_id,
    coalesce(
        try_cast(
            list_filter(answers, lambda a: a.question = 'captured_at')[1].value as timestamptz
        ),
        try_cast(declared.captured_at as timestamptz),
        _first_seen_at
    ) as captured_at,
    _first_seen_at as first_seen_at,
    greatest(_extracted_at, declared_at) as extracted_at,
    answers,
    false as is_hand_raiser,
    false as is_test,
    'imports' as source_key,
    'list_import' as touchpoint_type,
    case lower(declared.direction)
        when 'inbound' then 'inbound'
        when 'outbound' then 'outbound'
    end as direction,
    null::varchar as link_key,
    declared.lawful_basis,
    case
        when declared is null then 'import_batch_not_landed'
        when declared.lawful_basis is null or declared.source is null
            then 'import_without_lawful_basis_or_source'
        when declared.lawful_basis not in (
            'consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task',
            'legitimate_interest'
        ) then 'import_with_unknown_lawful_basis'
    end as source_problem
from mapped
