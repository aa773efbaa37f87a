"""Probes of "nobody gets rights they were not given": forged clicks, a coordinator by display
name, channel takeover, replayed forms, limits, formula injection, operator mistakes."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from urllib.parse import urlencode

from benchmarks.hardening.probes_wire import Outcome
from benchmarks.hardening.stack import CHANNEL, COORDINATOR, MEMBERS, OTHER_CHANNEL, TEAM, Stack


def _click(stack: Stack, user: str, action: str, value: str) -> bytes:
    n = stack.next()
    payload = {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "team": {"id": TEAM, "domain": "hardening"},
        "api_app_id": "A0COPBOT1",
        "channel": {"id": CHANNEL, "name": "hardening"},
        "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": CHANNEL},
        "trigger_id": f"{n}.click",
        "response_url": stack.slack.response_url(f"/response/click{n}"),
        "actions": [
            {
                "action_id": f"cop:{action}",
                "block_id": "b",
                "value": value,
                "type": "button",
                "action_ts": "1700000000.000200",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


async def _idea(stack: Stack, title: str, user: str) -> int:
    await stack.post(stack.command(f"idea {title}", user=user))
    await stack.settle(title, 1, timeout=30)
    return int(stack.db.scalar("SELECT max(id) FROM ideas WHERE title = :t", t=title) or 0)


async def forged_clicks(stack: Stack) -> Outcome:
    """A member clicks every privileged button on someone else's idea or request."""
    out = Outcome("forged clicks on privileged buttons")
    owner, intruder = MEMBERS[10], MEMBERS[11]
    idea = await _idea(stack, f"hz-click-{stack.next()}", owner)
    await stack.post(stack.command(f"ask hz-click-question-{stack.next()}", user=owner))
    await asyncio.sleep(2)
    request = int(stack.db.scalar("SELECT max(id) FROM requests") or 0)
    before = stack.db.scalar("SELECT stage || ':' || scaling FROM ideas WHERE id = :i", i=idea)
    clicks = [
        ("advance", f"I-{idea} pilot"),
        ("advance", f"I-{idea} scaled"),
        ("rate", f"I-{idea} high"),
        ("resolve", f"R-{request}"),
    ]
    for action, value in clicks:
        out.tried += 1
        out.clean += int(await stack.post(_click(stack, intruder, action, value)) == 200)
    await asyncio.sleep(3)
    after = stack.db.scalar("SELECT stage || ':' || scaling FROM ideas WHERE id = :i", i=idea)
    status = stack.db.scalar("SELECT status FROM requests WHERE id = :i", i=request)
    if after != before:
        out.clean -= 3
        out.notes.append(f"idea changed: {before} -> {after}")
    if status == "resolved":
        out.clean -= 1
        out.notes.append("a stranger resolved the request")
    return out


async def coordinator_by_name(stack: Stack) -> Outcome:
    """Issue 9 defect 1: a person whose display name is a coordinator's id."""
    out = Outcome("coordinator by display name (defect 1)")
    evil = "UEVIL01"
    stack.slack.add_user(evil, real_name=COORDINATOR, email="evil@example.org")
    stack.slack.users[evil]["profile"]["display_name"] = COORDINATOR
    stack.slack.users[evil]["name"] = COORDINATOR.lower()
    accomplice = MEMBERS[20]
    await stack.post(stack.command("idea hz-accomplice", user=accomplice))
    await asyncio.sleep(2)
    await stack.post(stack.command(f"coordinator add <@{accomplice}>", user=evil))
    await asyncio.sleep(3)
    granted = stack.db.scalar(
        "SELECT count(*) FROM role_grants g JOIN accounts a ON a.person_id = g.person_id "
        "WHERE a.user_id = :u AND g.role = 'coordinator'",
        u=accomplice,
    )
    out.tried = 1
    out.clean = int(not granted)
    if granted:
        out.notes.append("became coordinator by choosing a display name")
    return out


async def channel_takeover(stack: Stack) -> Outcome:
    """Issue 9 defect 2: a focal point of one community rebinds another's channel."""
    out = Outcome("channel takeover (defect 2)")
    focal = MEMBERS[12]
    await stack.post(stack.command(f"focal add <@{focal}> hardening", user=COORDINATOR))
    await asyncio.sleep(2)
    await stack.post(stack.command("community bind hardening", user=focal, channel=OTHER_CHANNEL))
    await asyncio.sleep(3)
    bound = stack.db.scalar(
        "SELECT c.name FROM channel_bindings b JOIN communities c ON c.id = b.community_id "
        "WHERE b.channel_id = :ch",
        ch=OTHER_CHANNEL,
    )
    out.tried = 1
    out.clean = int(bound == "other-community")
    if out.clean == 0:
        out.notes.append(f"{OTHER_CHANNEL} now bound to {bound}")
    return out


async def replayed_form(stack: Stack) -> Outcome:
    """Issue 9 defect 7: the same signed form submission three times makes one idea."""
    out = Outcome("replayed form submission")
    title = f"hz-form-{stack.next()}"
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "hardening"},
        "user": {"id": MEMBERS[13], "username": "m13", "team_id": TEAM},
        "api_app_id": "A0COPBOT1",
        "trigger_id": f"{stack.next()}.submit",
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "cop:form:idea",
            "private_metadata": json.dumps({"channel": CHANNEL}),
            "state": {"values": {"title": {"title": {"type": "plain_text_input", "value": title}}}},
        },
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    for _ in range(3):
        out.tried += 1
        out.clean += int(await stack.post(body) == 200)
        await asyncio.sleep(1.1)
    await stack.settle(title, 1, timeout=90)
    out.acked, out.stored = 1, min(1, stack.stored(title))
    out.duplicates = stack.duplicate_ideas(title)
    return out


async def limits(stack: Stack) -> Outcome:
    """Issue 9 defect 7: zero-width ideas, 24 h logged twice for one day, huge fields."""
    out = Outcome("limits (defect 7)")
    user = MEMBERS[14]
    await stack.post(stack.command("idea \u200b\u200b\u200b\u200b", user=user))
    await stack.post(stack.command("log 24h", user=user))
    await stack.post(stack.command("log 24h", user=user))
    await stack.post(stack.command("idea hz-huge " + "x" * 30_000, user=user))
    await asyncio.sleep(4)
    zero = stack.db.scalar("SELECT count(*) FROM ideas WHERE title LIKE :t", t="\u200b%")
    hours = stack.db.scalar(
        "SELECT coalesce(sum(t.hours), 0) FROM time_logs t JOIN accounts a "
        "ON a.person_id = t.person_id WHERE a.user_id = :u",
        u=user,
    )
    huge = stack.db.scalar(
        "SELECT coalesce(max(length(title)), 0) FROM ideas WHERE title LIKE 'hz-huge%'"
    )
    checks = {
        "zero-width idea refused": not zero,
        "one day holds at most 24 h": float(hours or 0) <= 24,
        "30,000-character title refused or cut": int(huge or 0) <= 300,
    }
    out.tried = len(checks)
    out.clean = sum(checks.values())
    out.notes += [f"not so: {name}" for name, passed in checks.items() if not passed]
    return out


async def formula_injection(stack: Stack) -> Outcome:
    """A captured title that a spreadsheet would run is exported as text."""
    out = Outcome("formula injection in exports")
    await stack.post(
        stack.command('idea =HYPERLINK("http://evil.example","hz-formula")', user=MEMBERS[15])
    )
    await asyncio.sleep(2)
    await stack.post(stack.command("export csv", user=COORDINATOR))
    await asyncio.sleep(5)
    exported = b"\n".join(stack.slack.uploads.values()).decode(errors="replace")
    live = [line for line in exported.splitlines() if ",=HYPERLINK" in line or line.startswith("=")]
    out.tried = 1
    out.clean = int(bool(exported) and not live)
    if not exported:
        out.notes.append("no export was uploaded")
    if live:
        out.notes.append("a formula cell was exported live")
    return out


async def busy_port(stack: Stack) -> Outcome:
    """Issue 9 defect 12: a second server on a busy port says so in one line."""
    out = Outcome("operator: busy PORT (defect 12)")
    done = subprocess.run(
        [sys.executable, "-m", "copbot", "serve"],
        env=stack.env(COPBOT_INBOX_WORKERS="0"),
        cwd=stack.workdir,
        capture_output=True,
        timeout=60,
    )
    text = done.stderr.decode(errors="replace")
    out.tried = 1
    out.clean = int(done.returncode != 0 and "Traceback" not in text)
    if out.clean == 0:
        out.notes.append(f"exit {done.returncode}, {text.count(chr(10))} lines on stderr")
    return out
