"""The `leadpipe` command: demo, run, backfill, sync, suppress, forget, provenance, bench, dev."""

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from leadpipe.errors import LeadpipeError
from leadpipe.settings import DEFAULT_WAREHOUSE, PROJECT_ROOT, use_warehouse, warehouse_path

app = typer.Typer(
    help="leadpipe: pull, unify, score, check and activate multichannel leads.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(file=sys.stdout)  # bound now: dbt's output is redirected while running
err = Console(file=sys.stderr, soft_wrap=True)  # messages stay whole: paths can be copied

BENCH_LOG = DEFAULT_WAREHOUSE.parent / "leadpipe-bench.log"
Leads = Annotated[int, typer.Option(min=1, help="How many source records to generate.")]
Seed = Annotated[int, typer.Option(help="Seed of the generator: same seed, same leads.")]


def _quiet() -> None:
    """Keep Dagster's and GX's deprecation chatter off the user's terminal."""
    warnings.filterwarnings("ignore")


def _start_of_today() -> datetime:
    """The demo's clock: the same leads all day long, so re-runs land the same records."""
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


@contextlib.contextmanager
def _tool_output_to(log: Path):
    """Send what dbt and Dagster print to a log file, keeping the terminal for leadpipe."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as file, contextlib.redirect_stdout(file):
        yield


def _run_with_progress(backfill: tuple[str, str] | None = None, rebuild: bool = False):
    """Run the pipeline showing one line per stage; return the run."""
    from orchestration.pipeline import STAGES, run_pipeline

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        tasks = {label: progress.add_task(label, start=False) for _, label, _ in STAGES}
        current: list = []

        def on_stage(name: str, label: str) -> None:
            if current:
                progress.update(current[-1], completed=1, total=1)
                progress.stop_task(current[-1])
            progress.start_task(tasks[label])
            current.append(tasks[label])

        with _tool_output_to(_run_log()):
            run = run_pipeline(on_stage, backfill=backfill, rebuild=rebuild)
        if current:
            progress.update(current[-1], completed=1, total=1)
            progress.stop_task(current[-1])
    return run


def _print_summary(run, warehouse: Path) -> None:
    from orchestration.summary import summarise

    summary = summarise(run, warehouse)
    table = Table(title="leadpipe run summary", show_header=False, title_justify="left")
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for source, count in summary.pulled.items():
        table.add_row(f"pulled from {source}", str(count))
    if summary.switched_off:
        table.add_row("switched off in leadpipe.yml", ", ".join(summary.switched_off))
    quarantined = sum(summary.quarantined.values())
    reasons = ", ".join(f"{reason}: {n}" for reason, n in summary.quarantined.items())
    table.add_row("quarantined", f"{quarantined}" + (f" ({reasons})" if reasons else ""))
    table.add_row("unified leads", str(summary.unified_leads))
    table.add_row(
        "leads per tier",
        ", ".join(f"{tier}: {summary.tiers.get(tier, 0)}" for tier in ("hot", "warm", "cold")),
    )
    failed = ", ".join(summary.checks_failed) or "none"
    table.add_row(
        "checks", f"{summary.checks_passed} passed, {len(summary.checks_failed)} failed ({failed})"
    )
    for name, sync in summary.syncs.items():
        table.add_row(f"sync {name}", _sync_line(sync))
    if not summary.syncs:
        table.add_row("syncs", "none ran")
    console.print(table)
    console.print(f"Warehouse: {warehouse}", soft_wrap=True)
    _warn_unmapped(summary)


def _warn_unmapped(summary) -> None:
    """One warning per answered question that looks like a consent but no mapping names."""
    for platform, form, question, kind in summary.unmapped_consents:
        err.print(
            "[yellow]Unmapped consent question:[/yellow] "
            + escape(
                f"{platform} form {form} asks {question!r} ({kind}); its answers give no consent "
                f"until it is mapped. Add under sources.{platform}.fields.{form} in leadpipe.yml: "
                f'"{question}": consent:<purpose> (or: ignore).'
            ),
            highlight=False,
        )
    others = summary.unmapped_questions - len(summary.unmapped_consents)
    if others:
        err.print(
            f"{others} other answered form question(s) map to no field: see "
            "marts.unmapped_form_questions, and map them or mark them ignore in leadpipe.yml.",
            highlight=False,
        )


def _sync_line(sync: dict[str, int]) -> str:
    """What a sync did, naming only what happened: "12 sent (10 new, 2 changed); 3 removed"."""
    if sync.get("enabled") is False:
        return "destination switched off in leadpipe.yml"
    kinds = [("new", "create"), ("changed", "update"), ("retried", "retry")]
    sent = ", ".join(f"{sync[key]} {label}" for label, key in kinds if sync[key])
    parts = [
        f"{sync['succeeded'] - sync['removed']} of {sync['sent']} sent"
        + (f" ({sent})" if sent else "")
    ]
    for label, key in (
        ("failed", "failed"),
        ("removed", "removed"),
        ("unchanged", "unchanged"),
        ("without consent", "held_back_by_consent"),
        ("suppressed", "suppressed"),
        ("invalid", "invalid"),
    ):
        if sync[key]:
            parts.append(f"{sync[key]} {label}")
    return "; ".join(parts)


def _run_log() -> Path:
    return warehouse_path().parent / "leadpipe-run.log"


def _finish(run, log: Path) -> None:
    for message in run.source_failures.values():
        err.print(f"[red]Source failed[/red] (the other sources ran): {message}")
    if run.failure:
        err.print(f"[red]Run failed:[/red] {run.failure}")
        err.print(f"dbt and Dagster output of this run: {log}")
        raise typer.Exit(1)
    for message in run.blocked:
        err.print(f"[red]Blocked by the outgoing data-quality gate:[/red] {message}")
    if run.blocked:
        raise typer.Exit(1)
    if run.source_failures:
        raise typer.Exit(1)


@app.command()
def demo(
    leads: Leads = 3000,
    seed: Seed = 42,
    warehouse: Annotated[Path, typer.Option(help="Warehouse file to write.")] = DEFAULT_WAREHOUSE,
) -> None:
    """Run the daily pipeline on generated leads served by local stand-ins of the platforms."""
    from sandbox.generator import generate
    from sandbox.platforms import serve

    _quiet()
    path = use_warehouse(warehouse)
    console.print(f"Generating {leads} leads (seed {seed})...")
    data = generate(leads, seed=seed, now=_start_of_today())
    with serve(data) as platforms:
        os.environ.update(platforms.environment())
        run = _run_with_progress()
    _print_summary(run, path)
    if run.failure is None:
        _print_truth(data, path, platforms.hubspot)
    _finish(run, _run_log())


def _print_truth(data, path: Path, hubspot) -> None:
    """The demo's identity and consent figures against the generator's truth."""
    from leadpipe.warehouse import connect
    from sandbox.consent_quality import consent_quality, hubspot_sends
    from sandbox.identity_quality import merge_quality
    from sandbox.platforms import NURTURE_LIST_NAME

    con = connect(path, read_only=True)
    try:
        quality = merge_quality(con, data)
        consent = consent_quality(con, data, hubspot_sends(con, hubspot, NURTURE_LIST_NAME))
    finally:
        con.close()
    console.print(
        f"Identity against the generator's truth ({quality['records']} records): pairwise "
        f"precision {quality['precision']:.3f}, recall {quality['recall']:.3f}"
    )
    console.print(
        f"Consent against the generator's truth (HubSpot syncs): "
        f"{consent['sends_without_consent']} sends without consent for the purpose; "
        f"{consent['reached']} of {consent['consented_in_segment']} consenting people in their "
        f"segments reached ({consent['reach']:.1%})"
    )


@app.command("run")
def run_command(
    rebuild: Annotated[
        bool,
        typer.Option(help="Rebuild every dbt model from scratch instead of incrementally."),
    ] = False,
) -> None:
    """Run the daily pipeline against the platforms configured in leadpipe.yml."""
    from orchestration.settings_check import check_settings

    _quiet()
    check_settings()
    run = _run_with_progress(rebuild=rebuild)
    _print_summary(run, warehouse_path())
    _finish(run, _run_log())


@app.command()
def backfill(
    first_day: Annotated[str, typer.Option("--from", help="First day to re-pull, YYYY-MM-DD.")],
    last_day: Annotated[str, typer.Option("--to", help="Last day to re-pull, YYYY-MM-DD.")],
) -> None:
    """Re-pull every source for whole UTC days, then rebuild and sync; cursors stay put."""
    from orchestration.settings_check import check_settings

    _quiet()
    check_settings()
    run = _run_with_progress(backfill=(first_day, last_day))
    _print_summary(run, warehouse_path())
    _finish(run, _run_log())


@app.command()
def sync(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send nothing.")
    ] = False,
    full_resync: Annotated[
        bool, typer.Option("--full-resync", help="Send every record, changed or not.")
    ] = False,
) -> None:
    """Sync the segments to their destinations: only new, changed, removed and failed records."""
    from orchestration.settings_check import check_settings

    _quiet()
    if dry_run:
        _print_plans(full_resync)
        return
    check_settings()
    from orchestration.pipeline import STAGES, run_pipeline

    with _tool_output_to(_run_log()):
        run = run_pipeline(
            stages=[s for s in STAGES if s[0] == "activate"], full_resync=full_resync
        )
    counts = {
        key.removeprefix("activation/"): figures
        for key, figures in run.metadata.items()
        if key.startswith("activation/")
    }
    console.print(_plan_table(counts, "Records per sync"))
    _finish(run, _run_log())


def _print_plans(full_resync: bool) -> None:
    from activation.plan import build_plan
    from activation.syncs import sync_problems, sync_specs
    from leadpipe.config import load_config
    from leadpipe.errors import ConfigError
    from leadpipe.warehouse import connect

    config = load_config()
    problems = sync_problems(config)
    if problems:
        raise ConfigError(f"Settings to fix: {'; '.join(problems)}.")
    con = connect(warehouse_path())
    try:
        con.execute("begin transaction")  # planning creates the state tables it reads: undone
        plans = [build_plan(con, spec, full_resync) for spec in sync_specs(config)]
        con.execute("rollback")
    finally:
        con.close()
    counts = {plan.spec.name: plan.counts for plan in plans}
    console.print(_plan_table(counts, "Dry run: records per sync (nothing sent)"))
    for plan in plans:
        if not plan.check.success:
            err.print(f"[red]{plan.spec.name} would be blocked:[/red] {plan.check.describe()}")


PLAN_COLUMNS = {
    "create": "create",
    "update": "update",
    "retry": "retry",
    "remove": "remove",
    "unchanged": "unchanged",
    "held_back_by_consent": "no consent",
    "suppressed": "suppressed",
    "invalid": "invalid",
}


def _plan_table(counts: dict[str, dict], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("sync", no_wrap=True)
    for header in PLAN_COLUMNS.values():
        table.add_column(header, justify="right")
    for name, figures in counts.items():
        table.add_row(name, *(str(figures.get(column, 0)) for column in PLAN_COLUMNS))
    return table


@app.command()
def suppress(
    identifier: Annotated[
        str | None, typer.Argument(help="The email address or phone number.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(help="A CSV or Excel file of emails and phones (any column) to suppress."),
    ] = None,
    reason: Annotated[str, typer.Option(help="Why, for the record (no personal data).")] = (
        "asked not to be contacted"
    ),
) -> None:
    """Put people on the suppression list: no sync sends them again, whatever their consent."""
    from leadpipe.suppression import suppress as add_to_list
    from leadpipe.suppression import suppress_file
    from leadpipe.warehouse import connect

    if (identifier is None) == (file is None):
        raise LeadpipeError("Give one email or phone, or --file FILE (a CSV or Excel list).")
    if file is not None and not file.is_file():
        raise LeadpipeError(f"No file at {file}.")
    con = connect(warehouse_path())
    try:
        if file is not None:
            counts, unreadable = suppress_file(con, file, reason)
        else:
            identifier_type, hashed = add_to_list(con, identifier, reason)
    finally:
        con.close()
    after = "the next sync holds them back everywhere and takes them out of lists, audiences "
    after += "and mirrored destinations."
    if file is None:
        console.print(f"Suppressed ({identifier_type}, keyed hash {hashed[:12]}...): {after}")
        return
    console.print(f"Suppressed {counts['email']} emails and {counts['phone']} phones: {after}")
    if unreadable:
        rows = ", ".join(map(str, unreadable[:20])) + (" ..." if len(unreadable) > 20 else "")
        err.print(
            f"{len(unreadable)} row(s) hold no valid email or phone and were skipped: rows "
            f"{rows} of {file.name} (a phone without +country code is read as French)."
        )


@app.command()
def forms(
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Add a suggested mapping of the unmapped questions to leadpipe.yml."
        ),
    ] = False,
) -> None:
    """Every configured form's questions, read from the platform, with the field each maps to;
    consent-like questions no mapping names are flagged."""
    from leadpipe.config import config_path, load_config
    from orchestration.form_review import review_forms, write_suggestions

    reviews = review_forms(load_config())
    flagged = 0
    for review in reviews:
        title = f"{review.section} form {review.form}"
        if review.problem:
            err.print(f"[red]{escape(title)}:[/red] {escape(review.problem)}")
            continue
        table = Table(title=title, title_justify="left")
        for column in ("question", "label", "kind", "maps to"):
            table.add_column(column, overflow="fold")
        for question, mapped in review.questions:
            unmapped_consent = mapped is None and question.looks_like_consent
            flagged += unmapped_consent
            shown = mapped or ("[yellow]consent? not mapped[/yellow]" if unmapped_consent else "-")
            table.add_row(escape(question.key), escape(question.label), question.kind, shown)
        console.print(table)
    if flagged:
        err.print(
            f"{flagged} consent-like question(s) map to nothing: their answers give no consent. "
            "Map them under sources.<source>.fields.<form> in leadpipe.yml"
            + ("." if write else ", or run `leadpipe forms --write` for a suggested mapping.")
        )
    if write:
        added = write_suggestions(config_path(), reviews)
        console.print(
            f"Added {added} suggested mapping(s) to {config_path()}, each marked "
            "'suggested by leadpipe forms: review': check them before the next run."
        )


@app.command()
def forget(
    identifier: Annotated[str, typer.Argument(help="The person's email address or phone number.")],
) -> None:
    """Erase a person: from the warehouse, the exports and every destination that received
    them; they stay on the suppression list so no later pull or import brings them back."""
    from leadpipe.erasure import request_erasure
    from leadpipe.warehouse import connect
    from orchestration.pipeline import ERASE, run_pipeline
    from orchestration.settings_check import check_settings

    _quiet()
    check_settings()
    con = connect(warehouse_path())
    try:
        request_erasure(con, identifier)
    finally:
        con.close()
    with _tool_output_to(_run_log()):
        run = run_pipeline(stages=ERASE)
    console.print(_erasure_outcome(run))
    _finish(run, _run_log())


def _erasure_outcome(run) -> str:
    """What `forget` did, and what is still to happen if the run stopped before the end."""
    if "ops/erasure_log" not in run.metadata:
        return (
            "The request is recorded and the person suppressed (no sync sends them); the erasure "
            "itself runs with the next run that gets past enrichment."
        )
    erased = run.metadata["ops/erasure_log"]
    done = (
        f"Erased {erased['leads_erased']} lead(s), {erased['records_erased']} source record(s); "
        f"destinations: {erased.get('erasure: destinations', '{}')}; they stay on the "
        "suppression list."
    )
    if run.metadata.get("ops/warehouse_compaction", {}).get("compacted"):
        return f"{done} The warehouse file was rewritten without them."
    return (
        f"{done} The warehouse file still holds their deleted bytes: it is rewritten at the end "
        "of the next run that completes (fix the failure below, then `leadpipe run`)."
    )


@app.command()
def provenance(
    identifier: Annotated[str, typer.Argument(help="The person's email address or phone number.")],
) -> None:
    """Where a person came from, when, and what they agreed to: every touchpoint and consent
    event the warehouse holds on them (for an analyst, or a subject access request)."""
    from leadpipe.provenance import provenance as look_up

    con = _read_only_warehouse()
    try:
        answer = look_up(con, identifier)
    finally:
        con.close()
    if answer.shared_by > 1:
        console.print(
            f"This {answer.identifier_type} is shared by {answer.shared_by} people (a role inbox "
            "or a switchboard): only what was recorded under it is shown, never another "
            "person's data. For the rest, ask for an identifier of the requester's own.",
            soft_wrap=True,
        )
    elif answer.lead_ids:
        identifiers = ", ".join(value for _, value in answer.identifiers)
        console.print(f"Lead {', '.join(answer.lead_ids)}: {identifiers}", soft_wrap=True)
    else:
        console.print(f"No lead carries this {answer.identifier_type}.")
    console.print(_frame_table(answer.touchpoints, "Where and when they came (oldest first)"))
    console.print(_frame_table(answer.consent, "What they agreed to (consent ledger)"))
    if answer.suppressed:
        console.print("Suppressed: nothing is sent to them, whatever their consent says.")


def _read_only_warehouse():
    """The warehouse opened for reading, or one message naming what to do."""
    import duckdb

    from leadpipe.warehouse import connect

    path = warehouse_path()
    if not path.exists():
        raise LeadpipeError(f"No warehouse at {path}: run `leadpipe run` first.")
    try:
        return connect(path, read_only=True)
    except duckdb.IOException:
        raise LeadpipeError(
            f"{path} is being written by a run: try again when it ends, or point "
            "LEADPIPE_WAREHOUSE at a copy of the file."
        ) from None


def _frame_table(frame, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        table.add_column(column.replace("_", " "), overflow="fold")
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(value) for value in row))
    return table


def _cell(value) -> str:
    if value is None or value != value:  # None, NaN, NaT
        return ""
    if isinstance(value, datetime):  # pandas timestamps are datetimes too
        return f"{value.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return str(value)


@app.command()
def bench(
    leads: Leads = 10_000,
    seed: Seed = 42,
    sync_contacts: Annotated[
        int,
        typer.Option(help="Instead: sync this many changed contacts to HubSpot, then re-sync."),
    ] = 0,
    ingest: Annotated[
        int,
        typer.Option(help="Instead: pull this many records through every connector, vs a floor."),
    ] = 0,
    transform: Annotated[
        int,
        typer.Option(
            help="Instead: time enrichment and dbt over this many raw records (cold, warm, +1%)."
        ),
    ] = 0,
) -> None:
    """Run the pipeline on generated leads and print seconds per stage and peak RSS as JSON."""
    if ingest:
        from orchestration.ingest_bench import bench_ingestion

        with tempfile.TemporaryDirectory(prefix="leadpipe-bench-") as folder:
            print(
                json.dumps(bench_ingestion(ingest, Path(folder) / "ingest.duckdb", seed), indent=2)
            )
        return
    if transform:
        from orchestration.transform_bench import bench_transforms

        _quiet()
        with tempfile.TemporaryDirectory(prefix="leadpipe-bench-") as folder:
            use_warehouse(Path(folder) / "bench.duckdb")
            with _tool_output_to(BENCH_LOG):
                report = bench_transforms(transform, seed, Path(folder))
        print(json.dumps(report, indent=2))
        return
    if sync_contacts:
        from orchestration.sync_bench import bench_sync

        with tempfile.TemporaryDirectory(prefix="leadpipe-bench-") as folder:
            print(json.dumps(bench_sync(sync_contacts, Path(folder) / "sync.duckdb"), indent=2))
        return
    from orchestration.pipeline import run_pipeline
    from sandbox.generator import generate
    from sandbox.platforms import serve

    _quiet()
    with tempfile.TemporaryDirectory(prefix="leadpipe-bench-") as folder:
        use_warehouse(Path(folder) / "bench.duckdb")
        started = time.perf_counter()
        data = generate(leads, seed=seed)
        generate_seconds = time.perf_counter() - started
        with serve(data) as platforms:
            os.environ.update(platforms.environment())
            with _tool_output_to(BENCH_LOG):
                run = run_pipeline()
        total = time.perf_counter() - started
    _finish(run, BENCH_LOG)
    stages = {"generate": generate_seconds, **run.seconds, "total": total}
    print(
        json.dumps(
            {
                "leads": leads,
                "records": data.record_count,
                "seconds": {name: round(value, 2) for name, value in stages.items()},
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


@app.command()
def dev(
    leads: Leads = 3000,
    seed: Seed = 42,
    port: Annotated[int, typer.Option(help="Port of the Dagster UI.")] = 3000,
) -> None:
    """Open the Dagster UI (`dagster dev`) wired to the sandbox stand-ins."""
    from sandbox.generator import generate
    from sandbox.platforms import serve

    use_warehouse(warehouse_path())
    with serve(generate(leads, seed=seed, now=_start_of_today())) as platforms:
        os.environ.update(platforms.environment())
        console.print(f"Sandbox platforms up; Dagster UI on http://127.0.0.1:{port}")
        dagster = Path(sys.executable).parent / "dagster"
        command = [str(dagster), "dev", "-w", "workspace.yaml", "-p", str(port)]
        subprocess.run(command, cwd=PROJECT_ROOT, check=False)


def main() -> None:
    try:
        app()
    except LeadpipeError as error:
        err.print(f"[red]{error}[/red]")
        sys.exit(1)
