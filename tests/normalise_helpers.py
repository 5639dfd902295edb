"""Shared access to the labelled set's raw missions for the normaliser tests."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "labelled"))

from labelled import evaluate, load_cases, source_defaults

from missionboard.model import Mission, RawMission
from missionboard.normalise import normalise

__all__ = ["evaluate", "load_cases", "normalised", "raw", "raw_missions", "source_defaults"]


@cache
def raw_missions() -> dict[str, RawMission]:
    return {case.raw.uid: case.raw for case in load_cases()}


def raw(uid: str) -> RawMission:
    return raw_missions()[uid]


def normalised(uid: str) -> Mission:
    mission = raw(uid)
    return normalise(mission, source_defaults().get(mission.source))
