"""Speed of the normaliser on 100k synthetic missions shaped like the recorded ones.

    .venv/bin/python bench/normalise_speed.py [count]

Each synthetic mission is a real recorded mission (tests/labelled/raw.jsonl) with its paragraphs
shuffled and one swapped for a paragraph of another mission in the same language, so description
lengths, languages, budget texts and tags follow the recorded mix while no two texts are equal. Prints missions/s
and total seconds for normalisation alone (generation is not timed).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from missionboard.model import RawMission
from missionboard.normalise import SourceDefaults, normalise

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "labelled"))

from labelled import source_defaults  # noqa: E402


def synthetic(count: int, seed: int = 42) -> list[RawMission]:
    """``count`` raw missions recombined from the recorded ones."""
    rng = random.Random(seed)
    lines = (ROOT / "tests" / "labelled" / "raw.jsonl").read_text("utf-8").splitlines()
    real = [RawMission.from_json(json.loads(line)) for line in lines]
    out = []
    for n in range(count):
        base = rng.choice(real)
        same_language = [r for r in real if r.language == base.language] or real
        other = rng.choice(same_language)
        # The base's paragraphs, shuffled, with one of them swapped for another mission's: the
        # length stays that of a real description, the text is new.
        paragraphs = base.description.split("\n")
        rng.shuffle(paragraphs)
        donor = other.description.split("\n")
        paragraphs[rng.randrange(len(paragraphs))] = rng.choice(donor)
        out.append(
            replace(
                base,
                native_id=f"{base.native_id}-{n}",
                title=f"{base.title} {rng.randint(1, 9999)}",
                description="\n".join(paragraphs),
            )
        )
    return out


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "n/a"


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    missions = synthetic(count)
    defaults = source_defaults()
    lengths = [len(m.description) for m in missions]
    print(
        f"{count} synthetic missions; description length mean {statistics.mean(lengths):.0f},"
        f" median {statistics.median(lengths):.0f}, max {max(lengths)} characters"
    )
    normalise(missions[0], defaults.get(missions[0].source))  # load the taxonomy once
    start, cpu_start = time.perf_counter(), time.process_time()
    for raw in missions:
        normalise(raw, defaults.get(raw.source, SourceDefaults()))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"normalised {count} missions in {elapsed:.2f} s = {count / elapsed:,.0f} missions/s")
    # Other processes on a shared machine stretch the wall time; the CPU time is ours alone.
    print(f"CPU time {cpu:.2f} s = {count / cpu:,.0f} missions/s of CPU; load {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
