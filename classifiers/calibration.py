"""Confidence calibration: temperature scaling fitted on held-out data, and the expected
calibration error (ECE) that tells whether "0.8 confident" means right 80% of the time."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy.special import logsumexp


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The temperature that minimises the held-out negative log-likelihood: a log-spaced grid
    from 0.01 to 100 (margin scores need small ones, logits larger), then a finer grid."""
    logits = np.asarray(logits, dtype=np.float64)
    picked = logits[np.arange(len(targets)), np.asarray(targets)]

    def nll(t: float) -> float:
        return float(np.mean(logsumexp(logits / t, axis=1) - picked / t))

    best = min((10 ** (i / 10) for i in range(-20, 21)), key=nll)
    return min((best * 10 ** (i / 100) for i in range(-10, 11)), key=nll)


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    total = len(confidences)
    if total == 0:
        return 0.0
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            confidence = sum(confidences[i] for i in members) / len(members)
            ece += len(members) / total * abs(accuracy - confidence)
    return ece
