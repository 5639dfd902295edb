"""Configuration: where things live, and the TOML settings file validated with clear messages.

The config file is found at ``--config PATH``, then ``$MISSIONBOARD_CONFIG``, then the platform's
config folder. The database is at ``--db PATH``, then ``$MISSIONBOARD_DB``, then the platform's data
folder. A missing default config file is not an error: every setting has a sensible default.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "missionboard"
CONFIG_ENV = "MISSIONBOARD_CONFIG"
DB_ENV = "MISSIONBOARD_DB"


class ConfigError(Exception):
    """A problem with the config file, worded for the person who wrote it."""


# --- where things live -------------------------------------------------------------------------


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class Paths:
    config: Path
    config_explicit: bool  # named by --config or the environment: it must exist
    db: Path

    @property
    def config_dir(self) -> Path:
        return self.config.parent

    @property
    def user_recipes_dir(self) -> Path:
        return self.config_dir / "sources"

    @property
    def data_dir(self) -> Path:
        return self.db.parent

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def lock_file(self) -> Path:
        return self.db.with_name(self.db.name + ".fetch.lock")


def resolve_paths(
    config: str | os.PathLike[str] | None = None, db: str | os.PathLike[str] | None = None
) -> Paths:
    """Apply the flag, then the environment, then the platform folders."""
    explicit = True
    if config:
        config_path = Path(config)
    elif os.environ.get(CONFIG_ENV):
        config_path = Path(os.environ[CONFIG_ENV])
    else:
        config_path = default_config_dir() / "config.toml"
        explicit = False
    if db:
        db_path = Path(db)
    elif os.environ.get(DB_ENV):
        db_path = Path(os.environ[DB_ENV])
    else:
        db_path = default_data_dir() / "missions.db"
    return Paths(config_path.expanduser(), explicit, db_path.expanduser())


def example_config_text() -> str:
    """The commented example config shipped with the package (or beside the source tree)."""
    packaged = resources.files("missionboard").joinpath("_data/config.example.toml")
    if packaged.is_file():
        return packaged.read_text("utf-8")
    return (Path(__file__).resolve().parents[2] / "config.example.toml").read_text("utf-8")


# --- the schema ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A TOML table with known keys; ``keys`` maps a key to a type or to a nested spec."""

    keys: dict[str, Any]


@dataclass(frozen=True)
class TableOf:
    """A table whose keys are free names (a source, a view), each value following ``spec``."""

    spec: Any


@dataclass(frozen=True)
class ArrayOf:
    """An array of tables (``[[feeds]]``), each following ``spec``."""

    spec: Any


Number = (int, float)
StrList = list

SCHEMA = Table(
    {
        "profile": Table({"skills": StrList, "languages": StrList, "min_daily_rate": Number}),
        "fetch": Table(
            {
                "timeout": Number,
                "concurrency": int,
                "per_host": int,
                "host_delay": Number,
                "retries": int,
                "max_bytes": int,
                "user_agent": str,
                "respect_robots": bool,
                "notify_command": str,
                "archive": bool,
                "archive_max_days": int,
                "archive_max_mb": int,
            }
        ),
        "sources": TableOf(
            Table(
                {
                    "enabled": bool,
                    "base_url": str,
                    "endpoints": StrList,
                    "min_interval": (str, int),
                    "query": str,
                }
            )
        ),
        "feeds": ArrayOf(
            Table(
                {
                    "url": str,
                    "name": str,
                    "recipe": str,
                    "category": str,
                    "contract": str,
                    "language": str,
                    "currency": str,
                    "remote": str,
                    "enabled": bool,
                    "min_interval": (str, int),
                }
            )
        ),
        "views": TableOf(str),
        "hide": TableOf(str),
        "alerts": ArrayOf(Table({"name": str, "query": str, "notify": bool})),
        "export": Table({"delimiter": str, "bom": bool}),
        "tui": Table(
            {"keys": TableOf(str), "theme": str, "default_view": str, "default_sort": str}
        ),
    }
)

_TYPE_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
}


def _type_name(expected: Any) -> str:
    if isinstance(expected, tuple):
        return " or ".join(dict.fromkeys(_type_name(t) for t in expected))
    if isinstance(expected, Table | TableOf):
        return "a table"
    if isinstance(expected, ArrayOf):
        return "an array of tables ([[...]])"
    return _TYPE_NAMES.get(expected, str(expected))


def _find_line(text: str, path: list[str]) -> int | None:
    """The 1-based line where the last key of ``path`` is set, for error messages."""
    if not path:
        return None
    key = path[-1]
    header = ".".join(p for p in path[:-1] if not p.startswith("#"))
    current = ""
    key_re = re.compile(rf'^\s*["\']?{re.escape(key)}["\']?\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        m = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", stripped)
        if m:
            current = m.group(1).replace('"', "").replace("'", "")
            if current == ".".join(p for p in path if not p.startswith("#")):
                return number
            continue
        if key_re.match(line) and (current == header or not header):
            return number
    return None


def _check(
    value: Any, spec: Any, path: list[str], text: str, errors: list[str], where: str
) -> None:
    def fail(message: str, at: list[str]) -> None:
        line = _find_line(text, at)
        errors.append(f"{where}{f', line {line}' if line else ''}: {message}")

    label = ".".join(p for p in path if not p.startswith("#")) or "the file"
    if isinstance(spec, Table):
        if not isinstance(value, dict):
            fail(f"{label} should be a table", path)
            return
        for key, sub in value.items():
            if key not in spec.keys:
                close = difflib.get_close_matches(key, list(spec.keys), n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                known = ", ".join(sorted(spec.keys))
                fail(
                    f"unknown key '{'.'.join([*[p for p in path if not p.startswith('#')], key])}'{hint}; known keys here: {known}",
                    [*path, key],
                )
                continue
            _check(sub, spec.keys[key], [*path, key], text, errors, where)
    elif isinstance(spec, TableOf):
        if not isinstance(value, dict):
            fail(f"{label} should be a table", path)
            return
        for key, sub in value.items():
            _check(sub, spec.spec, [*path, key], text, errors, where)
    elif isinstance(spec, ArrayOf):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            fail(f"{label} should be written as [[{label}]] tables", path)
            return
        for index, item in enumerate(value):
            _check(item, spec.spec, [*path, f"#{index}"], text, errors, where)
    else:
        expected = spec if isinstance(spec, tuple) else (spec,)
        ok = isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)
        if ok and list in expected:
            ok = all(isinstance(v, str) for v in value)
        if not ok:
            fail(f"{label} should be {_type_name(spec)}, not {value!r}", path)


# --- the settings --------------------------------------------------------------------------------


@dataclass(slots=True)
class FetchSettings:
    timeout: float = 20.0
    concurrency: int = 8
    per_host: int = 2
    host_delay: float = 1.0
    retries: int = 2
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = ""
    respect_robots: bool = True
    notify_command: str = ""
    archive: bool = True
    archive_max_days: int = 30
    archive_max_mb: int = 200


@dataclass(slots=True)
class Config:
    """The validated settings. ``raw`` keeps the whole document for sections read elsewhere."""

    path: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    profile_skills: list[str] = field(default_factory=list)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    feeds: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, str] = field(default_factory=dict)
    hide: dict[str, str] = field(default_factory=dict)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    export: dict[str, Any] = field(default_factory=dict)
    tui: dict[str, Any] = field(default_factory=dict)


def validate(data: dict[str, Any], text: str = "", where: str = "config") -> list[str]:
    """Every problem in a parsed config, one line each, with the line number where known."""
    errors: list[str] = []
    _check(data, SCHEMA, [], text, errors, where)
    for index, feed in enumerate(
        data.get("feeds", []) if isinstance(data.get("feeds"), list) else []
    ):
        if isinstance(feed, dict) and not feed.get("url"):
            line = _find_line(text, ["feeds"])
            errors.append(
                f"{where}{f', line {line}' if line else ''}: feed #{index + 1} has no url"
            )
    return errors


def parse_config(text: str, path: Path | None = None) -> Config:
    """Parse and validate config text; raise ConfigError with every problem found."""
    where = str(path) if path else "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from None
    errors = validate(data, text, where)
    if errors:
        raise ConfigError("\n".join(errors))
    fetch = FetchSettings(**data.get("fetch", {}))
    return Config(
        path=path,
        raw=data,
        profile_skills=list(data.get("profile", {}).get("skills", [])),
        fetch=fetch,
        sources=dict(data.get("sources", {})),
        feeds=list(data.get("feeds", [])),
        views=dict(data.get("views", {})),
        hide=dict(data.get("hide", {})),
        alerts=list(data.get("alerts", [])),
        export=dict(data.get("export", {})),
        tui=dict(data.get("tui", {})),
    )


def load_config(paths: Paths) -> Config:
    """Read the config file named by ``paths``; a missing default file means all defaults."""
    path = paths.config
    if not path.exists():
        if paths.config_explicit:
            raise ConfigError(
                f"config file not found: {path} (create one with `missionboard config init`)"
            )
        return Config(path=None)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a text file in UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    return parse_config(text, path)
