"""The command line: `missionboard` (the TUI), fetch, export, config.

Expected failures (bad config, unreadable database, broken source) end with one clear line on
stderr and a non-zero exit, never a traceback. The TUI is imported only by the commands that open it,
so `missionboard fetch` from cron never pays for Textual.
"""

from __future__ import annotations

import dataclasses
import json
import shlex
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from missionboard import __version__
from missionboard.config import (
    Config,
    ConfigError,
    Paths,
    example_config_text,
    load_config,
    resolve_paths,
)
from missionboard.store import Store, StoreError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3

F = TypeVar("F", bound=Callable[..., Any])


class App:
    """What every subcommand needs: the paths, and the config and store opened on first use."""

    def __init__(self, paths: Paths):
        self.paths = paths
        self._config: Config | None = None
        self._store: Store | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.paths)
        return self._config

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.paths.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"missionboard: error: {message}", err=True)
    sys.exit(code)


def friendly_errors(func: F) -> F:
    """Turn the failures a user can cause into one line and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ConfigError as exc:
            for line in str(exc).splitlines():
                click.echo(f"missionboard: config error: {line}", err=True)
            sys.exit(EXIT_USAGE)
        except StoreError as exc:
            fail(str(exc))
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(EXIT_OK)
        except KeyboardInterrupt:
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Config file (default: $MISSIONBOARD_CONFIG, then the platform config folder).",
)
@click.option(
    "--db",
    "db_path",
    metavar="PATH",
    help="Database file (default: $MISSIONBOARD_DB, then the platform data folder).",
)
@click.version_option(__version__, prog_name="missionboard")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, db_path: str | None) -> None:
    """Freelance missions from many marketplaces, triaged in your terminal.

    Run without a command to open the interface; `missionboard demo` opens it on recorded data.
    """
    app = App(resolve_paths(config_path, db_path))
    ctx.obj = app
    ctx.call_on_close(app.close)
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


@cli.command(hidden=True)
@click.pass_obj
@friendly_errors
def tui(app: App) -> None:
    """Open the terminal interface on the store."""
    try:
        from missionboard.tui import run_tui
    except ImportError:
        fail(
            "the terminal interface is not installed in this build; use `missionboard fetch` and `missionboard export`"
        )
    app.config  # noqa: B018 - a bad config is reported before the screen takes over
    run_tui(app.paths, app.config)


# --- demo ----------------------------------------------------------------------------------------


@cli.command()
@click.pass_obj
@friendly_errors
def demo(app: App) -> None:
    """Open the interface on missions recorded from real sites (no network needed).

    The demo store is a file of its own in the data folder, rebuilt from the bundled recordings
    each time; your own store is not touched. Export it with `missionboard --db PATH export`.
    """
    from missionboard.demo import build_demo_store

    try:
        from missionboard.tui import run_tui
    except ImportError:
        fail("the terminal interface is not installed in this build")
    path = app.paths.data_dir / "demo.db"
    report = build_demo_store(path)
    for warning in report.warnings:
        click.echo(f"missionboard: warning: {warning}", err=True)
    demo_paths = dataclasses.replace(app.paths, db=path)
    run_tui(demo_paths, app.config, demo=True)
    click.echo(
        f"The demo store is {path}; `missionboard --db {shlex.quote(str(path))} export` exports it."
    )


# --- fetch ---------------------------------------------------------------------------------------


def selected_recipes(app: App, names: tuple[str, ...]) -> list[Any]:
    from missionboard.sources import load_recipes

    recipe_set = load_recipes(app.config.sources, app.config.feeds, app.paths.user_recipes_dir)
    for error in recipe_set.errors:
        click.echo(f"missionboard: warning: {error}", err=True)
    if names:
        unknown = [n for n in names if n not in recipe_set.recipes]
        if unknown:
            known = ", ".join(sorted(recipe_set.recipes))
            fail(f"no source called {', '.join(unknown)}; known sources: {known}", EXIT_USAGE)
        return [recipe_set.recipes[n] for n in names]
    return [r for r in recipe_set.recipes.values() if r.enabled]


@cli.command()
@click.option(
    "--source",
    "-s",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Fetch only this source (repeatable).",
)
@click.option(
    "--force", is_flag=True, help="Fetch even sources fetched less than their interval ago."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON report: a list, one object per source."
)
@click.option(
    "--verbose", "-v", is_flag=True, help="Print every source's line, even when not on a terminal."
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="Print only new missions, errors and alerts, even on a terminal.",
)
@click.pass_obj
@friendly_errors
def fetch(
    app: App, sources: tuple[str, ...], force: bool, as_json: bool, verbose: bool, quiet: bool
) -> None:
    """Download new missions from the enabled sources into the store.

    Made for cron: quiet unless there is something to say when the output is not a terminal. Exit
    codes: 0 every source fine, 1 some failed (the others are stored), 2 usage or config error,
    3 another fetch is running.
    """
    from missionboard.archive import Archive
    from missionboard.fetch import fetch_all
    from missionboard.lockfile import FetchLock, LockHeld
    from missionboard.sources.text import one_line as plain

    recipes = selected_recipes(app, sources)
    if not recipes:
        fail(
            "no source is enabled; enable one in the config ([sources.NAME] enabled = true)",
            EXIT_USAGE,
        )
    settings = app.config.fetch
    archive = (
        Archive(app.paths.archive_dir, settings.archive_max_days, settings.archive_max_mb)
        if settings.archive
        else None
    )
    progress = _progress_line if not as_json and sys.stderr.isatty() else None
    try:
        lock = FetchLock(app.paths.lock_file).acquire()
    except LockHeld as exc:
        fail(str(exc), EXIT_LOCKED)
    if progress is not None:
        click.echo(f"fetching {len(recipes)} sources...", err=True, nl=False)
    try:
        # Before app.store is opened: the engine forks its workers first (see missionboard.fetch).
        reports = fetch_all(
            app.paths.db,
            recipes,
            settings,
            force=force,
            archive=archive,
            progress=progress,
            close_in_workers=(lock.fd,) if lock.fd is not None else (),
        )
    finally:
        lock.release()
        if progress is not None:
            click.echo("\r\x1b[K", err=True, nl=False)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        talkative = verbose or (sys.stdout.isatty() and not quiet)
        for report in reports:
            if talkative or report.errors or report.result.new:
                click.echo(plain(report.line()))
    from missionboard.health import health_warnings

    for report in reports:
        for warning in health_warnings(app.store, report.name):
            click.echo(f"missionboard: warning: {plain(warning)}", err=True)
    new_uids = [uid for report in reports for uid in report.result.new]
    announce_alerts(app, new_uids, echo=not as_json)
    keep_match_scores(app)
    sys.exit(EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED)


def _progress_line(done: int, total: int, report: Any) -> None:
    click.echo(
        f"\r\x1b[Kfetching: {done}/{total} sources done ({report.name}: {report.status})",
        err=True,
        nl=False,
    )


def announce_alerts(app: App, new_uids: list[str], *, echo: bool = True) -> None:
    """Print the ``[[alerts]]`` that match missions new in this fetch, and run the notify command.

    The matching is missionboard.alerts (the search language, with the hide rules and views); an
    alert whose query is broken is named on stderr and the others still run. An alert with
    ``notify = false`` is printed but does not run the notify command.
    """
    if not new_uids or not app.config.alerts:
        return
    from missionboard.alerts import alert_lines, match_alerts
    from missionboard.notify import run_notify_command

    config = app.config
    hits = match_alerts(
        app.store,
        config.alerts,
        new_uids,
        config.profile_skills,
        hide=list(config.hide.values()),
        views=config.views,
    )
    for hit in hits:
        if hit.error:
            click.echo(f"missionboard: warning: {hit.error}", err=True)
            continue
        if echo:
            for line in alert_lines([hit]):
                click.echo(line)
        if hit.notify:
            problem = run_notify_command(config.fetch.notify_command, hit.name, hit.pairs())
            if problem:
                click.echo(f"missionboard: warning: {problem}", err=True)


def keep_match_scores(app: App) -> None:
    """Keep the store's match scores for the profile (sort:match reads them; see Store.set_match_profile).

    New missions are scored as they are stored; this only works after the profile changed. A busy
    store is no failure: sort:match computes the shares itself until the next run.
    """
    from missionboard.query import prepare_match

    try:
        prepare_match(app.store, app.config.profile_skills)
    except StoreError as exc:
        click.echo(f"missionboard: warning: match scores not updated: {exc}", err=True)


@cli.command()
@click.option(
    "--source",
    "-s",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Reparse only this source's bodies (repeatable).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON report: a list, one object per source."
)
@click.pass_obj
@friendly_errors
def reparse(app: App, sources: tuple[str, ...], as_json: bool) -> None:
    """Re-derive every mission from the raw archive, offline (after a parser fix).

    Your own marks (read, starred, notes, pipeline) are kept. Holds the fetch lock (exit code 3 if a
    fetch is running).
    """
    from missionboard.archive import Archive
    from missionboard.lockfile import FetchLock, LockHeld
    from missionboard.reparse import reparse_archive
    from missionboard.sources import load_recipes
    from missionboard.sources.text import one_line as plain

    recipe_set = load_recipes(app.config.sources, app.config.feeds, app.paths.user_recipes_dir)
    for error in recipe_set.errors:
        click.echo(f"missionboard: warning: {error}", err=True)
    unknown = [n for n in sources if n not in recipe_set.recipes]
    if unknown:
        known = ", ".join(sorted(recipe_set.recipes))
        fail(f"no source called {', '.join(unknown)}; known sources: {known}", EXIT_USAGE)
    settings = app.config.fetch
    archive = Archive(app.paths.archive_dir, settings.archive_max_days, settings.archive_max_mb)
    if not archive.files():
        fail(
            f"nothing to reparse: the archive {app.paths.archive_dir} is empty "
            "(fetch fills it while [fetch] archive = true)"
        )
    try:
        lock = FetchLock(app.paths.lock_file).acquire()
    except LockHeld as exc:
        fail(str(exc), EXIT_LOCKED)
    try:
        reports, warnings = reparse_archive(
            app.store, archive, recipe_set.recipes, set(sources) or None
        )
    finally:
        lock.release()
    for warning in warnings:
        click.echo(f"missionboard: warning: {plain(warning)}", err=True)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(plain(f"{report.line()} from {report.bodies} archived bodies"))
    sys.exit(EXIT_OK if all(r.ok for r in reports) else EXIT_FAILED)


# --- sources -------------------------------------------------------------------------------------


def _endpoints_text(recipe: Any) -> str:
    active = [e.name for e in recipe.active_endpoints()]
    off = len(recipe.endpoints) - len(active)
    return ", ".join(active or ["none"]) + (f" (+{off} off)" if off else "")


def source_rows(app: App) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per source (recipes and feeds) with its health, and the recipe loading errors."""
    from missionboard.health import health_warnings
    from missionboard.sources import load_recipes

    recipe_set = load_recipes(app.config.sources, app.config.feeds, app.paths.user_recipes_dir)
    rows = []
    for name in sorted(recipe_set.recipes):
        recipe = recipe_set.recipes[name]
        runs = app.store.last_runs(name, limit=50)
        failures = 0
        for run in runs:
            if run["status"] == "ok":
                break
            failures += 1
        last = runs[0] if runs else None
        rows.append(
            {
                "name": name,
                "title": recipe.title,
                "enabled": recipe.enabled,
                "endpoints": [e.name for e in recipe.active_endpoints()],
                "endpoints_text": _endpoints_text(recipe),
                "last_fetch": last["finished_at"] if last else None,
                "last_status": last["status"] if last else None,
                "last_error": last["error"] if last else "",
                "last_items": last["items"] if last else None,
                "items_in_store": app.store.count(name),
                "consecutive_failures": failures,
                "warnings": health_warnings(app.store, name),
                "terms": recipe.terms,
                "origin": recipe.origin,
            }
        )
    return rows, recipe_set.errors


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, for machines.")
@click.pass_obj
@friendly_errors
def sources(app: App, as_json: bool) -> None:
    """List the sources: enabled, endpoints, last fetch, status, missions stored, failures."""
    import json

    rows, errors = source_rows(app)
    for error in errors:
        click.echo(f"missionboard: warning: {error}", err=True)
    if as_json:
        for row in rows:
            row.pop("endpoints_text")
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    header = ("SOURCE", "ON", "ENDPOINTS", "LAST FETCH", "STATUS", "STORED", "FAILS")
    table = [header]
    for row in rows:
        table.append(
            (
                row["name"],
                "yes" if row["enabled"] else "no",
                row["endpoints_text"],
                (row["last_fetch"] or "never").replace("+00:00", "Z"),
                row["last_status"] or "-",
                str(row["items_in_store"]),
                str(row["consecutive_failures"]),
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    for line in table:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
    for row in rows:
        if row["last_status"] not in (None, "ok") and row["last_error"]:
            click.echo(f"{row['name']}: last error: {row['last_error']}")
        for warning in row["warnings"]:
            click.echo(f"warning: {warning}")


# --- export and import-state --------------------------------------------------------------------


def compile_user_query(app: App, text: str) -> Any:
    """Compile a query with the user's hide rules, saved views, skills and known sources.

    A bad query (or a bad hide rule) ends with one line pointing at the token, exit code 2.
    """
    from missionboard.query import QueryError, compile_query, store_sources

    config = app.config
    try:
        return compile_query(
            text,
            profile_skills=config.profile_skills,
            hide=list(config.hide.values()),
            views=config.views,
            sources=store_sources(app.store),
        )
    except QueryError as exc:
        fail(f"bad query {text!r}: {exc}", EXIT_USAGE)


@cli.command()
@click.option(
    "--query",
    "-q",
    "query_text",
    default="",
    metavar="QUERY",
    help='Export only the missions matching QUERY (the TUI\'s search language, e.g. "python remote:remote").',
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True
)
@click.option(
    "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output."
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    help="CSV delimiter, e.g. ';' for spreadsheets in French locales.",
)
@click.option(
    "--bom/--no-bom", default=None, help="Start the CSV with a byte order mark (for Excel)."
)
@click.pass_obj
@friendly_errors
def export(
    app: App,
    query_text: str,
    fmt: str,
    output: str | None,
    delimiter: str | None,
    bom: bool | None,
) -> None:
    """Write the missions and your own marks on them as CSV or JSON Lines.

    Hidden missions (and those your [hide] rules match) are left out unless the query says
    is:hidden. Edit the pipeline and note columns in a spreadsheet, then `missionboard import-state`.
    """
    from missionboard.export import export as write_export

    settings = app.config.export
    delimiter = delimiter or settings.get("delimiter", ",")
    if len(delimiter) != 1:
        fail(f"the delimiter must be one character, not {delimiter!r}", EXIT_USAGE)
    bom = settings.get("bom", False) if bom is None else bom
    if output and not Path(output).parent.exists():
        fail(f"cannot write {output}: the folder {Path(output).parent} does not exist", EXIT_USAGE)
    compiled = compile_user_query(app, query_text)
    rows = app.store.iter_rows(compiled.where, compiled.params, compiled.order_by)
    count = write_export(rows, fmt, output, delimiter, bom)
    if output:
        click.echo(f"{count} missions written to {output}", err=True)


@cli.command("import-state")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would change, change nothing.")
@click.pass_obj
@friendly_errors
def import_state_command(app: App, file: str, dry_run: bool) -> None:
    """Merge the pipeline and note columns of an exported CSV you edited back into the store.

    Rows are matched by uid; nothing but your status (pipeline) and note changes. Rows whose uid
    is not in the store and statuses missionboard does not know are listed, and the exit code is 1.
    """
    from missionboard.import_state import StateImportError, import_state

    if not Path(file).exists():
        fail(f"no such file: {file}", EXIT_USAGE)
    try:
        report = import_state(app.store, file, dry_run=dry_run)
    except StateImportError as exc:
        fail(str(exc), EXIT_USAGE)
    lines = report.lines()
    click.echo(("dry run, nothing written: " if dry_run else "") + lines[0])
    for line in lines[1:]:
        click.echo(f"missionboard: warning: {line}", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


# --- renormalise ---------------------------------------------------------------------------------


@cli.command()
@click.pass_obj
@friendly_errors
def renormalise(app: App) -> None:
    """Re-derive skills, remote, budget and category from the stored raw records (offline)."""
    from missionboard.ingest import renormalise_store
    from missionboard.sources import load_recipes

    recipes = load_recipes(app.config.sources, app.config.feeds, app.paths.user_recipes_dir).recipes
    seen, changed = renormalise_store(app.store, recipes)
    click.echo(f"{seen} missions normalised again, {changed} changed")


# --- config --------------------------------------------------------------------------------------


@cli.group()
def config() -> None:
    """Create, locate and check the config file."""


@config.command("init")
@click.option("--force", is_flag=True, help="Overwrite an existing config file.")
@click.pass_obj
@friendly_errors
def config_init(app: App, force: bool) -> None:
    """Write the commented example config where missionboard looks for it."""
    path = app.paths.config
    if path.exists() and not force:
        fail(f"{path} already exists; use --force to replace it", EXIT_USAGE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(example_config_text(), encoding="utf-8")
    click.echo(f"wrote {path}; edit it, then run `missionboard config check`")


@config.command("path")
@click.pass_obj
def config_path(app: App) -> None:
    """Print where the config, the database and the recipes are."""
    exists = "" if app.paths.config.exists() else "  (not created yet: `missionboard config init`)"
    click.echo(f"config:   {app.paths.config}{exists}")
    click.echo(f"database: {app.paths.db}")
    click.echo(f"recipes:  {app.paths.user_recipes_dir}")
    click.echo(f"archive:  {app.paths.archive_dir}")


@config.command("check")
@click.pass_obj
@friendly_errors
def config_check(app: App) -> None:
    """Validate the config file and the recipes; name every unknown or misspelled key."""
    from missionboard.query import check_saved_queries
    from missionboard.sources import load_recipes

    config = app.config
    if config.path is None:
        click.echo(
            f"no config file at {app.paths.config}: the defaults are in use "
            "(`missionboard config init` writes one)"
        )
    recipe_set = load_recipes(config.sources, config.feeds, app.paths.user_recipes_dir)
    errors = recipe_set.errors + check_saved_queries(config.views, config.hide, config.alerts)
    for error in errors:
        click.echo(f"missionboard: config error: {error}", err=True)
    if errors:
        sys.exit(EXIT_USAGE)
    enabled = sorted(name for name, r in recipe_set.recipes.items() if r.enabled)
    where = app.paths.config if config.path else "defaults"
    click.echo(f"{where}: ok ({len(enabled)} sources enabled: {', '.join(enabled)})")


def main() -> None:
    cli(prog_name="missionboard")


if __name__ == "__main__":
    main()
