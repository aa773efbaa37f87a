"""The detector's numpy network against a plain, token-by-token reading of the same maths
(BERT: embeddings, layer norm, multi-head self-attention, GELU, mean pooling), on a small
random model written for the test; and its WordPiece tokenizer on known splits. (Its
agreement with the PyTorch model it was exported from is checked where it is trained,
``benchmarks/detector_train.py``.)"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bot.services import suggest_encoder
from bot.services.suggest_encoder import Encoder, quantise
from bot.services.wordpiece import WordPiece, words

DIM, HEADS, INNER, LAYERS = 8, 2, 16, 2
VOCABULARY = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "we", "should", "add", "a", "dark", "mode"]
VOCABULARY += ["##s", "un", "##aff", "##able", "cafe", "!", "?", "我", "们", "ok", "##ay"]
Float = npt.NDArray[np.float64]


def small_model(tmp_path: Path) -> tuple[Path, dict[str, Float]]:
    """A random two-layer model file, and its weights as the reference reads them."""
    rng = np.random.default_rng(3)
    plain: dict[str, Float] = {}
    arrays: dict[str, npt.NDArray[np.generic]] = {}

    def matrix(name: str, rows: int, cols: int) -> None:
        q, scale = quantise(rng.normal(0, 0.5, (rows, cols)).astype(np.float32))
        arrays[f"{name}.q"], arrays[f"{name}.s"] = q, scale
        plain[name] = q.astype(np.float64) * scale[:, None].astype(np.float64)

    def vector(name: str, size: int, centre: float = 0.0) -> None:
        arrays[name] = (centre + rng.normal(0, 0.1, size)).astype(np.float32)
        plain[name] = arrays[name].astype(np.float64)

    matrix("words", len(VOCABULARY), DIM)
    arrays["positions"] = rng.normal(0, 0.5, (32, DIM)).astype(np.float32)
    arrays["type0"] = rng.normal(0, 0.5, DIM).astype(np.float32)
    vector("embed_norm.g", DIM, 1.0)
    vector("embed_norm.b", DIM)
    for i in range(LAYERS):
        for name, rows, cols in (
            ("query", DIM, DIM),
            ("key", DIM, DIM),
            ("value", DIM, DIM),
            ("attention", DIM, DIM),
            ("intermediate", INNER, DIM),
            ("output", DIM, INNER),
        ):
            matrix(f"{i}.{name}", rows, cols)
            vector(f"{i}.{name}.b", rows)
        for name in ("attention_norm", "output_norm"):
            vector(f"{i}.{name}.g", DIM, 1.0)
            vector(f"{i}.{name}.b", DIM)
    arrays["head.w"] = rng.normal(0, 0.5, (3, DIM)).astype(np.float32)
    arrays["head.b"] = rng.normal(0, 0.1, 3).astype(np.float32)
    for name in ("positions", "type0", "head.w", "head.b"):
        plain[name] = arrays[name].astype(np.float64)
    arrays["vocabulary"] = np.array("\n".join(VOCABULARY))
    meta = {"layers": LAYERS, "heads": HEADS, "thresholds": {"prompt": 0.5, "request": 0.5}}
    arrays["meta"] = np.array(json.dumps(meta))
    path = tmp_path / "small.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path, plain


def reference(ids: list[int], w: dict[str, Float]) -> Float:
    """One text, token by token, head by head, with math.erf."""

    def norm(v: Float, name: str) -> Float:
        out: Float = (v - v.mean()) / math.sqrt(v.var() + 1e-12) * w[f"{name}.g"] + w[f"{name}.b"]
        return out

    def dense(v: Float, name: str) -> Float:
        out: Float = w[name] @ v + w[f"{name}.b"]
        return out

    x = [
        norm(w["words"][t] + w["positions"][p] + w["type0"], "embed_norm")
        for p, t in enumerate(ids)
    ]
    size = DIM // HEADS
    for i in range(LAYERS):
        q = [dense(v, f"{i}.query") for v in x]
        k = [dense(v, f"{i}.key") for v in x]
        v_ = [dense(v, f"{i}.value") for v in x]
        out = []
        for a in range(len(x)):
            context = np.zeros(DIM)
            for h in range(HEADS):
                s = slice(h * size, (h + 1) * size)
                logits = np.array([q[a][s] @ k[b][s] / math.sqrt(size) for b in range(len(x))])
                weights = np.exp(logits - logits.max())
                weights /= weights.sum()
                context[s] = sum(weights[b] * v_[b][s] for b in range(len(x)))
            y = norm(x[a] + dense(context, f"{i}.attention"), f"{i}.attention_norm")
            inner = dense(y, f"{i}.intermediate")
            inner = np.array([0.5 * u * (1 + math.erf(u / math.sqrt(2))) for u in inner])
            out.append(norm(y + dense(inner, f"{i}.output"), f"{i}.output_norm"))
        x = out
    pooled: Float = np.mean(x, axis=0)
    logits_out: Float = w["head.w"] @ pooled + w["head.b"]
    return logits_out


def test_the_network_computes_what_the_plain_reading_does(tmp_path: Path) -> None:
    path, weights = small_model(tmp_path)
    encoder = Encoder(path)
    texts = ["we should add a dark mode!", "ok", "unaffable cafes? 我们 zzz", "we " * 20]
    got = encoder.logits(texts)  # one batch: short texts padded to the longest
    for row, text in enumerate(texts):
        expected = reference(encoder.wordpiece.encode(text, suggest_encoder.MAX_TOKENS), weights)
        np.testing.assert_allclose(got[row], expected, rtol=1e-4, atol=1e-4)
        np.testing.assert_allclose(encoder.logits([text])[0], got[row], rtol=1e-5, atol=1e-5)


def test_probabilities_are_a_softmax() -> None:
    p = suggest_encoder.probabilities(np.array([[0.0, 0.0, 0.0], [1000.0, 0.0, -5.0]], "f4"))
    np.testing.assert_allclose(p.sum(axis=1), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(p[0], [1 / 3] * 3, rtol=1e-6)
    assert p[1, 0] == pytest.approx(1.0)


def test_quantised_rows_keep_their_values() -> None:
    m = np.random.default_rng(0).normal(0, 1, (50, 40)).astype(np.float32)
    m[7] = 0.0
    q, scale = quantise(m)
    assert q.dtype == np.int8 and np.abs(q).max() == 127
    np.testing.assert_allclose(q * scale[:, None], m, atol=float(scale.max()) / 2 + 1e-7)


def test_the_basic_tokenizer_splits_like_bert() -> None:
    assert words("Hello, World!") == ["hello", ",", "world", "!"]
    assert words("Café naïve ÉTÉ") == ["cafe", "naive", "ete"]
    assert words("我们应该") == ["我", "们", "应", "该"]
    assert words("a\u200bb\x00c\tdon't") == ["abc", "don", "'", "t"]
    assert words("  ") == []


def test_wordpiece_takes_the_longest_pieces() -> None:
    wp = WordPiece(VOCABULARY)
    ids = wp.encode("Unaffable modes? okay", 32)
    assert [VOCABULARY[i] for i in ids] == [
        "[CLS]",
        "un",
        "##aff",
        "##able",
        "mode",
        "##s",
        "?",
        "ok",
        "##ay",
        "[SEP]",
    ]
    assert [VOCABULARY[i] for i in wp.encode("zebra x" + "a" * 200, 32)] == [
        "[CLS]",
        "[UNK]",
        "[UNK]",
        "[SEP]",
    ]
    assert len(wp.encode("we " * 500, 16)) == 16
