"""The `leadpipe` command: demo, run, bench and dev."""

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
err = Console(file=sys.stderr)

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


def _run_with_progress():
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
            run = run_pipeline(on_stage)
        if current:
            progress.update(current[-1], completed=1, total=1)
            progress.stop_task(current[-1])
    return run


def _print_summary(run, warehouse: Path) -> None:
    from orchestration.summary import summarise

    summary = summarise(run, warehouse)
    table = Table(title="leadpipe run summary", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for source, count in summary.pulled.items():
        table.add_row(f"pulled from {source}", str(count))
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
    if summary.sync:
        table.add_row(
            "contacts synced to HubSpot",
            f"{summary.sync.get('succeeded', 0)} ({summary.sync.get('created', 0)} created, "
            f"{summary.sync.get('failed', 0)} failed, "
            f"{summary.sync.get('refused_by_consent', 0)} held back by consent)",
        )
    else:
        table.add_row("contacts synced to HubSpot", "none (the sync did not run)")
    console.print(table)
    console.print(f"Warehouse: {warehouse}", soft_wrap=True)


def _run_log() -> Path:
    return warehouse_path().parent / "leadpipe-run.log"


def _finish(run, log: Path) -> None:
    if run.failure:
        err.print(f"[red]Run failed:[/red] {run.failure}")
        err.print(f"dbt and Dagster output of this run: {log}")
        raise typer.Exit(1)
    if run.blocked:
        err.print(f"[red]Sync blocked by the outgoing data-quality gate:[/red] {run.blocked}")
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
    _finish(run, _run_log())


@app.command("run")
def run_command() -> None:
    """Run the daily pipeline against the platforms configured in the environment."""
    _quiet()
    run = _run_with_progress()
    _print_summary(run, warehouse_path())
    _finish(run, _run_log())


@app.command()
def bench(leads: Leads = 10_000, seed: Seed = 42) -> None:
    """Run the pipeline on generated leads and print seconds per stage and peak RSS as JSON."""
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
