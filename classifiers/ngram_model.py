"""A fastText-style problem-type classifier in torch: hashed character n-grams → mean embedding
→ linear layer. Trains in seconds on a few thousand messages on two CPU cores and answers in
well under a millisecond, with no pretrained weights to download.
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import jieba
import torch
from torch import nn

from classifiers.calibration import fit_temperature
from nlu.normalize import normalize_text

jieba.setLogLevel(60)


@dataclass
class NgramConfig:
    buckets: int = 1 << 18
    dim: int = 128
    min_n: int = 1
    max_n: int = 3
    epochs: int = 30
    lr: float = 0.03
    batch_size: int = 32
    weight_decay: float = 0.0
    seed: int = 13
    words: bool = True  # add jieba words and word bigrams to the character n-grams
    max_chars: int = 1000  # long messages: the start carries the problem
    calibration_share: float = 0.15  # held out to fit the temperature, then trained on everything


def _bucket(gram: str, buckets: int) -> int:
    # a stable hash (Python's hash() is salted per process)
    return int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "little") % buckets


def ngram_ids(text: str, config: NgramConfig) -> List[int]:
    text = normalize_text(text, max_chars=config.max_chars)
    padded = f"<{text}>"
    ids = []
    for n in range(config.min_n, config.max_n + 1):
        for i in range(len(padded) - n + 1):
            gram = padded[i:i + n]
            if gram.strip("<>"):
                ids.append(_bucket(gram, config.buckets))
    if config.words:
        words = [w for w in jieba.lcut(text) if w.strip()]
        ids.extend(_bucket("w:" + w, config.buckets) for w in words)
        ids.extend(_bucket("b:" + a + "|" + b, config.buckets) for a, b in zip(words, words[1:]))
    return ids or [0]


class _Net(nn.Module):
    """IDF-weighted mean of n-gram embeddings → linear layer. Frequent, generic n-grams
    (「反映」, 「希望」, 「处理」) weigh less; n-grams never seen in training weigh nothing."""

    def __init__(self, config: NgramConfig, n_labels: int) -> None:
        super().__init__()
        self.embedding = nn.EmbeddingBag(config.buckets, config.dim, mode="sum", sparse=True)
        self.out = nn.Linear(config.dim, n_labels)
        self.register_buffer("idf", torch.ones(config.buckets))

    def set_idf(self, documents: Sequence[List[int]]) -> None:
        df = torch.zeros(self.idf.numel())
        for ids in documents:
            df[torch.tensor(sorted(set(ids)), dtype=torch.long)] += 1
        idf = torch.log((1 + len(documents)) / (1 + df)) + 1
        self.idf = torch.where(df > 0, idf, torch.zeros_like(idf))

    def forward(self, ids: torch.Tensor, offsets: torch.Tensor) -> torch.Tensor:
        weights = self.idf[ids]
        lengths = torch.diff(torch.cat([offsets, torch.tensor([ids.numel()])]))
        bag = torch.repeat_interleave(torch.arange(len(offsets)), lengths)
        totals = torch.zeros(len(offsets)).index_add_(0, bag, weights).clamp(min=1e-6)
        return self.out(self.embedding(ids, offsets, per_sample_weights=weights / totals[bag]))


def _batch(seqs: Sequence[List[int]]) -> Tuple[torch.Tensor, torch.Tensor]:
    offsets = torch.tensor([0] + [len(s) for s in seqs[:-1]]).cumsum(0)
    ids = torch.tensor([i for s in seqs for i in s], dtype=torch.long)
    return ids, offsets


class NgramClassifier:
    """Train, predict with calibrated probabilities (temperature), save and load."""

    def __init__(self, labels: List[str], config: Optional[NgramConfig] = None,
                 temperature: float = 1.0) -> None:
        self.labels = list(labels)
        self.config = config or NgramConfig()
        self.temperature = temperature
        self.net = _Net(self.config, len(self.labels))

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], config: Optional[NgramConfig] = None,
              progress: Optional[Callable[[int, int, float], None]] = None) -> "NgramClassifier":
        """Train; when every label has enough examples, first fit the softmax temperature on a
        held-out share, then train again on everything and keep that temperature."""
        config = config or NgramConfig()
        if not texts or len(texts) != len(labels):
            raise ValueError("training needs as many labels as texts, and at least one text")
        features = [ngram_ids(t, config) for t in texts]
        label_list = sorted(set(labels))
        temperature = 1.0
        held_out = _stratified_holdout(list(labels), config.calibration_share, config.seed)
        if held_out:
            keep = [i for i in range(len(texts)) if i not in held_out]
            probe = cls._fit([features[i] for i in keep], [labels[i] for i in keep], label_list, config, None)
            ids, offsets = _batch([features[i] for i in sorted(held_out)])
            with torch.no_grad():
                logits = probe.net(ids, offsets)
            index = {label: i for i, label in enumerate(label_list)}
            targets = torch.tensor([index[labels[i]] for i in sorted(held_out)])
            temperature = fit_temperature(logits, targets)
        model = cls._fit(features, list(labels), label_list, config, progress)
        model.temperature = temperature
        return model

    @classmethod
    def _fit(cls, features: List[List[int]], labels: List[str], label_list: List[str], config: NgramConfig,
             progress: Optional[Callable[[int, int, float], None]]) -> "NgramClassifier":
        model = cls(label_list, config)
        model.net.set_idf(features)
        torch.manual_seed(config.seed)
        rng = random.Random(config.seed)
        index = {label: i for i, label in enumerate(model.labels)}
        data = [(f, index[y]) for f, y in zip(features, labels)]
        # sparse updates touch only the n-gram rows a batch uses: seconds instead of minutes
        sparse_opt = torch.optim.SparseAdam(list(model.net.embedding.parameters()), lr=config.lr)
        dense_opt = torch.optim.Adam(model.net.out.parameters(), lr=config.lr, weight_decay=config.weight_decay)
        loss_fn = nn.CrossEntropyLoss()
        model.net.train()
        for epoch in range(config.epochs):
            rng.shuffle(data)
            total = 0.0
            for start in range(0, len(data), config.batch_size):
                chunk = data[start:start + config.batch_size]
                ids, offsets = _batch([c[0] for c in chunk])
                target = torch.tensor([c[1] for c in chunk])
                sparse_opt.zero_grad()
                dense_opt.zero_grad()
                loss = loss_fn(model.net(ids, offsets), target)
                loss.backward()
                sparse_opt.step()
                dense_opt.step()
                total += loss.item() * len(chunk)
            if progress:
                progress(epoch + 1, config.epochs, total / len(data))
        model.net.eval()
        return model

    def predict_proba(self, texts: Sequence[str]) -> torch.Tensor:
        with torch.no_grad():
            ids, offsets = _batch([ngram_ids(t, self.config) for t in texts])
            return torch.softmax(self.net(ids, offsets) / self.temperature, dim=-1)

    def predict(self, text: str, top_k: int = 3) -> List[Tuple[str, float]]:
        probs = self.predict_proba([text])[0]
        values, indices = probs.topk(min(top_k, len(self.labels)))
        return [(self.labels[i], float(v)) for v, i in zip(values.tolist(), indices.tolist())]

    def save(self, directory: Path, extra_meta: Optional[Dict[str, object]] = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        torch.save(self.net.state_dict(), directory / "weights.pt")
        meta = {"labels": self.labels, "config": asdict(self.config), "temperature": self.temperature}
        meta.update(extra_meta or {})
        (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "NgramClassifier":
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        model = cls(meta["labels"], NgramConfig(**meta["config"]), float(meta.get("temperature", 1.0)))
        model.net.load_state_dict(torch.load(directory / "weights.pt", weights_only=True))
        model.net.eval()
        return model

    @staticmethod
    def read_meta(directory: Path) -> Dict[str, object]:
        return json.loads((directory / "meta.json").read_text(encoding="utf-8"))


def _stratified_holdout(labels: List[str], share: float, seed: int) -> set:
    """Indices to hold out (share of each label), or an empty set when a label has < 5 examples."""
    by_label: Dict[str, List[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    if share <= 0 or min(len(v) for v in by_label.values()) < 5:
        return set()
    rng = random.Random(seed)
    held = set()
    for members in by_label.values():
        members = members[:]
        rng.shuffle(members)
        held.update(members[:max(1, int(len(members) * share))])
    return held
