"""A local OpenAI-compatible chat completions endpoint for tests.

``OpenAI(base_url=fake.url + "/v1", api_key="test", max_retries=0, timeout=...)`` talks to it.
What it answers is scripted: ``reply(text)`` (the default), ``delay(seconds)``,
``malformed()`` and ``error(status)``; ``times=`` makes a script apply to the next few
requests only, after which the fake goes back to replying.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from typing import Any

from tests.fakes import FakeServer, Reply, Request

__all__ = ["CompletionRequest", "FakeOpenAI"]

COMPLETION_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})

_ERRORS: dict[int, tuple[str, str, str | None]] = {
    400: ("Invalid request.", "invalid_request_error", None),
    401: ("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to use this model.", "invalid_request_error", None),
    404: (
        "The model does not exist or you do not have access to it.",
        "invalid_request_error",
        "model_not_found",
    ),
    429: ("Rate limit reached for requests.", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request.", "server_error", None),
    503: ("The engine is currently overloaded, please try again later.", "server_error", None),
}


@dataclass(frozen=True)
class CompletionRequest:
    """One request the fake received; ``json`` is the parsed body."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.json.get("messages", [])) if isinstance(self.json, dict) else []


@dataclass(frozen=True)
class _Script:
    kind: str  # "reply" | "malformed" | "error"
    text: str = ""
    status: int = 200
    body: bytes = b""
    retry_after: float | None = None


class FakeOpenAI(FakeServer):
    """OpenAI-compatible ``POST /v1/chat/completions`` (also ``/chat/completions``)."""

    def __init__(self, *, text: str = "This is a fake summary.") -> None:
        super().__init__()
        self.requests: list[CompletionRequest] = []
        self._default = _Script("reply", text=text)
        self._queue: deque[_Script] = deque()
        self._delay = 0.0
        self._serial = 0

    # ----------------------------------------------------------------- test API

    def reply(self, text: str, *, times: int | None = None) -> None:
        """Answer with a completion whose message content is ``text``."""
        self._script(_Script("reply", text=text), times)

    def delay(self, seconds: float) -> None:
        """Wait ``seconds`` before every answer (0 turns it off)."""
        with self.lock:
            self._delay = seconds

    def malformed(self, body: Any = None, *, times: int | None = None) -> None:
        """Answer 200 with a JSON body that is not a completion (no ``choices`` by default)."""
        if body is None:
            body = {"id": "chatcmpl-malformed", "object": "chat.completion", "created": 0}
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        self._script(_Script("malformed", body=raw), times)

    def error(
        self,
        status: int,
        *,
        message: str | None = None,
        retry_after: float | None = None,
        times: int | None = None,
    ) -> None:
        """Answer ``status`` with OpenAI's error envelope ``{"error": {...}}``."""
        default_message, kind, code = _ERRORS.get(status, ("Upstream error.", "server_error", None))
        envelope = {
            "error": {
                "message": message or default_message,
                "type": kind,
                "param": None,
                "code": code,
            }
        }
        body = json.dumps(envelope).encode()
        self._script(_Script("error", status=status, body=body, retry_after=retry_after), times)

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self._queue.clear()
            self._default = _Script("reply", text="This is a fake summary.")
            self._delay = 0.0

    @property
    def last_request(self) -> CompletionRequest:
        with self.lock:
            return self.requests[-1]

    # ----------------------------------------------------------------- serving

    def _script(self, script: _Script, times: int | None) -> None:
        with self.lock:
            if times is None:
                self._queue.clear()
                self._default = script
            else:
                self._queue.extend([script] * times)

    def handle(self, request: Request) -> Reply:
        if request.path not in COMPLETION_PATHS:
            return Reply.json(_not_found(request), status=404)
        if request.method != "POST":
            return Reply.json(_not_found(request), status=405)
        body = request.json()
        with self.lock:
            self.requests.append(
                CompletionRequest(request.method, request.path, request.headers, body)
            )
            script = self._queue.popleft() if self._queue else self._default
            delay = self._delay
            self._serial += 1
            serial = self._serial
        headers = {"Content-Type": "application/json", "x-request-id": f"req_fake{serial:08d}"}
        if script.kind == "reply":
            completion = _completion(serial, body, script.text)
            return Reply(200, json.dumps(completion).encode(), headers, delay)
        if script.retry_after is not None:
            headers["retry-after"] = str(script.retry_after)
        return Reply(script.status, script.body, headers, delay)


def _not_found(request: Request) -> dict[str, Any]:
    message = f"Invalid URL ({request.method} {request.path})"
    return {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }


def _completion(serial: int, body: Any, text: str) -> dict[str, Any]:
    request = body if isinstance(body, dict) else {}
    prompt = " ".join(str(message.get("content", "")) for message in request.get("messages", []))
    prompt_tokens = max(1, len(prompt) // 4)
    completion_tokens = max(1, len(text) // 4)
    return {
        "id": f"chatcmpl-fake{serial:08d}",
        "object": "chat.completion",
        "created": 1_700_000_000 + serial,
        "model": request.get("model", "gpt-4o-mini"),
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": text,
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {
                "reasoning_tokens": 0,
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            },
        },
        "service_tier": "default",
        "system_fingerprint": "fp_fake0000",
    }
