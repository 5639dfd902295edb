"""The labelled set: raw missions from the recordings and the answers labelled by hand.

Shared by ``tests/test_normalise_labelled.py`` and ``bench/normalise_accuracy.py``.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from missionboard.model import Mission, RawMission, Remote
from missionboard.normalise import SourceDefaults, normalise

HERE = Path(__file__).resolve().parent


@dataclass
class Case:
    raw: RawMission
    skills: list[str]
    remote: str
    remote_stated: bool
    budget: dict


def source_defaults() -> dict[str, SourceDefaults]:
    data = tomllib.loads((HERE / "sources.toml").read_text("utf-8"))
    return {
        name: SourceDefaults(
            language=entry.get("language", ""),
            currency=entry.get("currency"),
            contract=entry.get("contract", ""),
            remote_prior=Remote(entry.get("remote_prior", "unknown")),
        )
        for name, entry in data.items()
    }


def load_cases() -> list[Case]:
    raws = {}
    for line in (HERE / "raw.jsonl").read_text("utf-8").splitlines():
        raw = RawMission.from_json(json.loads(line))
        raws[raw.uid] = raw
    cases = []
    for line in (HERE / "labels.jsonl").read_text("utf-8").splitlines():
        label = json.loads(line)
        cases.append(
            Case(
                raws[label["uid"]],
                label["skills"],
                label["remote"],
                label["remote_stated"],
                label["budget"],
            )
        )
    return cases


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def budget_matches(mission: Mission, expected: dict) -> bool:
    got = mission.budget
    return (
        got.kind == expected["kind"]
        and _same(got.min, expected["min"])
        and _same(got.max, expected["max"])
        and (
            expected["kind"] == "unknown"
            and expected["min"] is None
            or got.currency == expected["currency"]
        )
    )


@dataclass
class Report:
    total: int = 0
    budget_exact: int = 0
    remote_correct: int = 0
    stated_total: int = 0
    stated_correct: int = 0
    remote_confusion: Counter = field(default_factory=Counter)
    skills_tp: int = 0
    skills_fp: int = 0
    skills_fn: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def budget_rate(self) -> float:
        return self.budget_exact / self.total

    @property
    def stated_accuracy(self) -> float:
        return self.stated_correct / self.stated_total

    @property
    def skills_f1(self) -> float:
        precision = self.skills_tp / max(1, self.skills_tp + self.skills_fp)
        recall = self.skills_tp / max(1, self.skills_tp + self.skills_fn)
        return 2 * precision * recall / max(1e-9, precision + recall)

    def remote_class(self, cls: str) -> tuple[float, float, int]:
        """Precision, recall and support of one remote class."""
        tp = self.remote_confusion[(cls, cls)]
        predicted = sum(v for (exp, got), v in self.remote_confusion.items() if got == cls)
        actual = sum(v for (exp, got), v in self.remote_confusion.items() if exp == cls)
        return tp / predicted if predicted else 0.0, tp / actual if actual else 0.0, actual


def evaluate(cases: list[Case]) -> Report:
    defaults = source_defaults()
    report = Report()
    for case in cases:
        mission = normalise(case.raw, defaults.get(case.raw.source))
        report.total += 1
        uid = case.raw.uid
        if budget_matches(mission, case.budget):
            report.budget_exact += 1
        else:
            b = mission.budget
            report.failures.append(
                f"budget {uid}: got {b.kind} {b.min} {b.max} {b.currency} from {b.raw!r},"
                f" expected {case.budget}"
            )
        got_remote = str(mission.remote)
        report.remote_confusion[(case.remote, got_remote)] += 1
        report.remote_correct += got_remote == case.remote
        if case.remote_stated:
            report.stated_total += 1
            report.stated_correct += got_remote == case.remote
        if got_remote != case.remote:
            report.failures.append(
                f"remote {uid}: got {got_remote} ({mission.remote_evidence}), expected {case.remote}"
            )
        got, want = set(mission.skills), set(case.skills)
        report.skills_tp += len(got & want)
        report.skills_fp += len(got - want)
        report.skills_fn += len(want - got)
        if got != want:
            report.failures.append(
                f"skills {uid}: extra {sorted(got - want)} missing {sorted(want - got)}"
            )
    return report
