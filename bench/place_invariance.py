"""Benchmark: the problem type does not depend on the name of the place.

    python -m bench.place_invariance [--data bench/data/place_invariance.yml]

Each problem of the set is said at each of its places, before and after the problem
(「海景花园3栋电梯坏了」「电梯坏了，在海景花园3栋」); the shipped model should give the same category
at every place of one kind (estates, roads, areas): an estate's name is no evidence of what is wrong
there, and a category that moves with it sends the same broken lift to different departments (the
kind may matter: a corridor light in an estate is the property company's). Reports per kind the
share of problems whose leaf is the same at every place, the share of messages with the majority
leaf (and department), and the problems that move. Writes bench/reports/place_invariance.md and
a bar chart of agreement per place.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import yaml  # noqa: E402

from classifiers.evaluate import use_cjk_fonts  # noqa: E402
from classifiers.problem_type import default_classifier  # noqa: E402

REPORTS = Path(__file__).with_name("reports")
DATA = Path(__file__).with_name("data") / "place_invariance.yml"


def placed(problem: str, place: str) -> List[str]:
    return [f"{place}{problem}", f"{problem}，在{place}"]


def measure(problems: List[str], places: Dict[str, List[str]]) -> Dict[str, object]:
    """Per kind of place: the problems whose leaf is the same at every place of that kind, and the
    share of messages with the leaf most of that kind's messages got (its department likewise)."""
    classifier = default_classifier()
    by_kind: Dict[str, Dict[str, float]] = {}
    per_place: Counter = Counter()
    moved: List[Dict[str, object]] = []
    for kind, names in places.items():
        stable = agreeing = agreeing_department = total = 0
        for problem in problems:
            read = {(name, text): classifier.classify(text).to_dict() for name in names for text in placed(problem, name)}
            leaves = Counter(found.get("level3") for found in read.values())
            departments = Counter(found.get("department") for found in read.values())
            majority, department = leaves.most_common(1)[0][0], departments.most_common(1)[0][0]
            stable += len(leaves) == 1
            agreeing += leaves[majority]
            agreeing_department += departments[department]
            total += len(read)
            for (name, _), found in read.items():
                per_place[name] += found.get("level3") == majority
            if len(leaves) > 1:
                moved.append({"kind": kind, "problem": problem, "placed": dict(leaves.most_common())})
        by_kind[kind] = {"places": len(names), "stable_problems": stable / len(problems),
                         "majority_leaf": agreeing / total, "majority_department": agreeing_department / total}
    return {"problems": len(problems), "kinds": by_kind,
            "per_place": {name: per_place[name] / (2 * len(problems)) for names in places.values() for name in names},
            "moved": sorted(moved, key=lambda m: -len(m["placed"]))}


def chart(per_place: Dict[str, float], path: Path) -> None:
    use_cjk_fonts()
    fig, ax = plt.subplots(figsize=(7, 4))
    names = list(per_place)
    ax.barh(names, [per_place[n] for n in names])
    ax.set_xlim(0, 1)
    ax.set_xlabel("messages with the leaf most places of their kind got")
    ax.set_title("problem type at each place")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    data = yaml.safe_load(args.data.read_text(encoding="utf-8"))
    result = measure(data["problems"], data["places"])
    REPORTS.mkdir(exist_ok=True)
    chart(result["per_place"], REPORTS / "place_invariance.png")
    lines = ["# Problem type at every place", "", "`python -m bench.place_invariance`", "",
             f"{result['problems']} problems, each at every place of a kind, said two ways ({args.data.name}).", "",
             "| kind of place | places | problems with one leaf at every place | messages with the majority leaf "
             "| with the majority department |", "|---|---|---|---|---|"]
    lines += [f"| {kind} | {k['places']} | **{k['stable_problems']:.3f}** | {k['majority_leaf']:.3f} | "
              f"{k['majority_department']:.3f} |" for kind, k in result["kinds"].items()]
    lines += ["", "Problems whose leaf moves with the place (kind: leaves):", ""]
    lines += [f"- {m['problem']} ({m['kind']}): " + ", ".join(f"{k} {v}" for k, v in m["placed"].items())
              for m in result["moved"]]
    lines += ["", "![agreement per place](place_invariance.png)"]
    (REPORTS / "place_invariance.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (REPORTS / "place_invariance.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
