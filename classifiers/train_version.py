"""`python -m classifiers.train_version --by NAME`: train a new version of the problem-type model
from training_data/problems in a process of its own (the console starts it, so that training
never competes with the app server's event loop; the console starts it at a lower priority, so
that conversations keep the CPU they need), printing `step N/M` lines for progress (one step per category) and
the new version's name last. The version is not active until a trainer activates it."""
from __future__ import annotations

import argparse
import json
import sys

from classifiers.registry import Registry


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--by", required=True, help="who asked for it (recorded in the registry)")
    args = parser.parse_args(argv)
    made = Registry().train(args.by, progress=lambda step, total: print(f"step {step}/{total}", flush=True))
    print(json.dumps({"version": made.version, "examples": made.examples, "labels": made.labels,
                      "seconds": made.train_seconds}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
