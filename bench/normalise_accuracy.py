"""Accuracy of the normaliser on the hand-labelled set drawn from the real recordings.

    .venv/bin/python bench/normalise_accuracy.py [-v]

Prints per-class precision and recall for remote, the exact-match rate for budgets and the F1 for
skills; ``-v`` lists every disagreement.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "labelled"))

from labelled import evaluate, load_cases


def main() -> int:
    cases = load_cases()
    report = evaluate(cases)
    sources = Counter(c.raw.source for c in cases)
    print(f"labelled missions: {report.total} from {len(sources)} sources")
    print(f"budget exact match: {report.budget_exact}/{report.total} = {report.budget_rate:.1%}")
    print(
        f"remote accuracy where a field or the text says it: {report.stated_correct}/"
        f"{report.stated_total} = {report.stated_accuracy:.1%}"
        f" (all items: {report.remote_correct}/{report.total} = "
        f"{report.remote_correct / report.total:.1%})"
    )
    print("remote class    precision  recall  support")
    for cls in ("remote", "hybrid", "onsite", "unknown"):
        precision, recall, support = report.remote_class(cls)
        print(f"  {cls:<12}  {precision:9.1%}  {recall:6.1%}  {support:7d}")
    precision = report.skills_tp / max(1, report.skills_tp + report.skills_fp)
    recall = report.skills_tp / max(1, report.skills_tp + report.skills_fn)
    print(
        f"skills: precision {precision:.1%}, recall {recall:.1%}, F1 {report.skills_f1:.3f}"
        f" (tp {report.skills_tp}, fp {report.skills_fp}, fn {report.skills_fn})"
    )
    if "-v" in sys.argv:
        print("\n".join(report.failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
