"""Probes at the door: signatures, junk, sizes, replays, Teams tokens, injection."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp

from benchmarks.hardening.stack import CHANNEL, FORM, JSON, MEMBERS, SECRET, TEAM, Stack


@dataclass
class Outcome:
    """One probe class: what was tried and what came of it."""

    name: str
    tried: int = 0
    clean: int = 0  # refused with the right status, or survived with nothing lost
    acked: int = 0  # captures Slack would count as accepted (200)
    stored: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return max(0, self.acked - self.stored)

    @property
    def ok(self) -> bool:
        return self.clean == self.tried and self.lost == 0 and self.duplicates == 0


def tracebacks(stack: Stack) -> int:
    return stack.log_text().count("Traceback (most recent call last)")


def _event(event_id: str, text: str, user: str = MEMBERS[1]) -> bytes:
    ts = f"{time.time():.6f}"
    return json.dumps(
        {
            "token": "x",
            "team_id": TEAM,
            "api_app_id": "A0COPBOT1",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "text": f"<@U0BOT0001> {text}",
                "user": user,
                "ts": ts,
                "channel": CHANNEL,
                "event_ts": ts,
            },
        }
    ).encode()


async def signatures_and_junk(stack: Stack) -> Outcome:
    """Unsigned, badly signed, stale and malformed requests: 401/400, one short log line."""
    out = Outcome("bad/stale signatures, junk bodies")
    before_tb, before_log = tracebacks(stack), len(stack.log_text())
    capture = stack.command("idea hz-forged-1")
    deep = b'{"a":' * 20000 + b"1" + b"}" * 20000
    click = {"type": "block_actions", "actions": None, "user": {"id": MEMBERS[0]}}
    cases: list[tuple[bytes, dict[str, str], int]] = []
    for secret, age in (("wrong-secret", 0), (SECRET, 600)):
        from tests.fakes.slack_signing import sign

        headers = {"Content-Type": FORM, **sign(capture, secret, timestamp=int(time.time()) - age)}
        cases.append((capture, headers, 401))
    cases.append((capture, {"Content-Type": FORM}, 401))
    cases.append(
        (
            capture,
            {
                "Content-Type": FORM,
                "X-Slack-Request-Timestamp": "abc",
                "X-Slack-Signature": "v0=00",
            },
            401,
        )
    )
    junk = [
        (b'{"type": "event_callback", ', JSON),
        (b"payload=%7Bnot-json", FORM),
        (b'{"type": "\xff\xfe"}', JSON),
        (deep, JSON),
        (urlencode({"payload": json.dumps(click)}).encode(), FORM),
        (b"payload=null", FORM),
        (json.dumps({"type": "event_callback", "event": []}).encode(), JSON),
    ]
    for body, kind in junk:
        cases.append(
            (
                body,
                {
                    "Content-Type": kind,
                    "X-Slack-Request-Timestamp": "1",
                    "X-Slack-Signature": "v0=00",
                },
                401,
            )
        )
        from tests.fakes.slack_signing import sign

        cases.append((body, {"Content-Type": kind, **sign(body, SECRET)}, 400))
    # A flood of badly signed large bodies: the log must not grow with them.
    flood = b"payload=" + b"x" * 1_500_000
    for _ in range(20):
        cases.append(
            (
                flood,
                {
                    "Content-Type": FORM,
                    "X-Slack-Request-Timestamp": str(int(time.time())),
                    "X-Slack-Signature": "v0=" + "0" * 64,
                },
                401,
            )
        )
    async with aiohttp.ClientSession() as session:
        statuses = await asyncio.gather(
            *(stack.raw(body, headers, session=session) for body, headers, _ in cases)
        )
    for status, (_, _, want) in zip(statuses, cases, strict=True):
        out.tried += 1
        out.clean += int(status == want)
    grown = len(stack.log_text()) - before_log
    new_tb = tracebacks(stack) - before_tb
    if new_tb or grown > 20_000:
        out.clean -= 1
        out.notes.append(f"{new_tb} tracebacks, log grew {grown} bytes")
    else:
        out.notes.append(f"log grew {grown} bytes for {len(cases)} refusals")
    if stack.stored("hz-forged") != 0:
        out.notes.append("a forged capture was stored")
        out.clean -= 1
    return out


async def sizes(stack: Stack, *, quick: bool) -> Outcome:
    """10 MB and 100 MB bodies: refused (413) without exhausting the process."""
    out = Outcome("10 MB / 100 MB bodies")
    for megabytes in (10,) if quick else (10, 100):
        body = b"payload=" + b"x" * (megabytes * 1024 * 1024)
        status = await stack.post(body, timeout=60)
        out.tried += 1
        out.clean += int(status in (413, 401, 0))
        out.notes.append(f"{megabytes} MB: {status or 'connection closed'}")
    out.tried += 1
    out.clean += int(await stack.wait_healthy(timeout=10) == 200)
    return out


async def replays(stack: Stack) -> Outcome:
    """The same event three times (with and without X-Slack-Retry-Num), the same signed
    command replayed three times: each stored once, answered once."""
    out = Outcome("replays with/without retry headers")
    n = stack.next()
    event = _event(f"EvReplay{n}", f"idea hz-replay-event-{n}")
    for retry in (None, "1", "2"):
        headers = (
            {}
            if retry is None
            else {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        )
        status = await stack.post(event, JSON, headers=headers)
        out.tried += 1
        out.clean += int(status == 200)
    command = stack.command(f"idea hz-replay-command-{n}")
    for _ in range(3):
        out.tried += 1
        out.clean += int(await stack.post(command) == 200)
        await asyncio.sleep(1.1)  # a new timestamp, so a new signature: a true replay
    out.acked = 2
    await stack.settle("hz-replay-", 2, timeout=90)
    out.stored = min(2, stack.stored("hz-replay-"))
    out.duplicates = stack.duplicate_ideas("hz-replay-")
    for title in (f"hz-replay-event-{n}", f"hz-replay-command-{n}"):
        out.duplicates += max(0, stack.confirmations(title) - 1)
    return out


async def teams_tokens(stack: Stack) -> Outcome:
    """Teams: no token, junk, alg=none, a stranger's issuer, expired: all 401 or 400."""
    out = Outcome("bad Teams tokens of every kind")
    activity = {
        "type": "message",
        "text": "idea hz-teams",
        "serviceUrl": "https://evil.example/",
        "from": {"id": "x"},
        "conversation": {"id": "c"},
        "recipient": {"id": "b"},
        "channelId": "msteams",
        "id": "1",
    }

    def jwt(header: dict[str, object], claims: dict[str, object]) -> str:
        def part(value: dict[str, object]) -> str:
            return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

        return f"{part(header)}.{part(claims)}.c2ln"

    now = int(time.time())
    tokens = [
        None,
        "garbage",
        jwt({"alg": "none"}, {"iss": "https://api.botframework.com", "aud": "app"}),
        jwt({"alg": "RS256", "kid": "k"}, {"iss": "https://evil.example", "aud": "app"}),
        jwt({"alg": "HS256"}, {"iss": "https://api.botframework.com", "aud": "app", "exp": now}),
        jwt(
            {"alg": "RS256", "kid": "k"},
            {"iss": "https://api.botframework.com", "aud": "app", "exp": now - 3600},
        ),
    ]
    body = json.dumps(activity).encode()
    for token in tokens:
        headers = {"Content-Type": JSON}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        started = time.monotonic()
        status = await stack.raw(body, headers, path="/api/messages", timeout=20)
        out.tried += 1
        out.clean += int(status in (401, 400))
        if time.monotonic() - started > 6:
            out.notes.append(f"a refusal took {time.monotonic() - started:.1f} s")
    for junk in (b"[1]", b'{"type": 5}', b'{"a":' * 5000 + b"1" + b"}" * 5000, b"\xff"):
        headers = {"Content-Type": JSON, "Authorization": "Bearer x"}
        out.tried += 1
        out.clean += int(await stack.raw(junk, headers, path="/api/messages") in (400, 401))
    out.tried += 1
    out.clean += int(stack.stored("hz-teams") == 0)
    return out


MENTIONS = re.compile(r"<!(channel|here|everyone)>|<@U|<https?://evil")


async def injection(stack: Stack) -> Outcome:
    """Mentions and links in captured text are shown escaped on every surface."""
    out = Outcome("mention/link injection")
    n = stack.next()
    title = f"hz-inject-{n} <!channel> <!here> <@UCOORD> <https://evil.example|click here>"
    before = len(stack.slack.calls)
    await stack.post(stack.command(f"idea {title}"))
    await stack.settle(f"hz-inject-{n}", 1, timeout=90)
    for line in ("ideas", f"show I-{_last_idea(stack)}", "ideas mine"):
        await stack.post(stack.command(line))
    await asyncio.sleep(3)
    sent = [json.dumps(call.params) for call in stack.slack.calls[before:]]
    sent += [post.body.decode(errors="replace") for post in stack.slack.response_posts]
    leaked = [s for s in sent if f"hz-inject-{n}" in s and MENTIONS.search(s)]
    out.tried = 4
    out.clean = 4 - min(4, len(leaked))
    if leaked:
        out.notes.append(f"{len(leaked)} messages carried a live mention or link")
    return out


def _last_idea(stack: Stack) -> int:
    return int(stack.db.scalar("SELECT max(id) FROM ideas") or 0)
