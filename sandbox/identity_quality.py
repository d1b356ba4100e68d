"""How well identity resolution merged the generated records, against the generator's truth.

Pairwise: precision is the share of record pairs put in one person that truly are one person;
recall is the share of true same-person pairs that were put in one person. Counted per group
in DuckDB, so no pair is ever listed.
"""

import duckdb
import pyarrow as pa

from sandbox.generator import SandboxData


def merge_quality(con: duckdb.DuckDBPyConnection, data: SandboxData) -> dict[str, float]:
    """Precision and recall of `marts.lead_crosswalk` against `data.truth`."""
    keys = list(data.truth)
    truth = pa.table(
        {
            "platform": [platform for platform, _ in keys],
            "record_id": [record_id for _, record_id in keys],
            "person_id": list(data.truth.values()),
        }
    )
    con.register("_truth", truth)
    try:
        merged, true, correct, records = con.execute(
            """
            with records as (
                select crosswalk.lead_id, truth.person_id
                from marts.lead_crosswalk as crosswalk
                inner join _truth as truth
                    on truth.platform = split_part(crosswalk.source, '/', 1)
                    and truth.record_id = crosswalk.record_id
            ),
            pairs as (
                select grouping_id(lead_id, person_id) as level, count(*) as n
                from records
                group by grouping sets ((lead_id), (person_id), (lead_id, person_id))
            )
            select
                sum(n * (n - 1) / 2) filter (where level = 1),
                sum(n * (n - 1) / 2) filter (where level = 2),
                sum(n * (n - 1) / 2) filter (where level = 0),
                (select count(*) from records)
            from pairs
            """
        ).fetchall()[0]
    finally:
        con.unregister("_truth")
    return {
        "records": records,
        "precision": round(correct / merged, 4) if merged else 1.0,
        "recall": round(correct / true, 4) if true else 1.0,
    }
