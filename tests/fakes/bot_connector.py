"""A local Bot Framework Connector (the Teams ``serviceUrl``) for tests.

Point an activity's ``service_url`` (or ``ConnectorClient(credentials, base_url=...)``) at
``fake.service_url``. Routes and answers follow the Connector REST API as Teams served it in
the recordings under ``platform-payloads/teams/botbuilder-js-integrationBot-recordings-2019``:
sends and replies answer 201 ``{"id": "1:..."}``, creating a conversation answers 201
``{"id": ..., "activityId": ...}``, members come back as Teams channel accounts.

Every Adaptive Card attached to an activity it receives is validated against the Adaptive
Cards 1.5 schema (``tests.payload_checks``): a malformed one is answered 400 ``BadArgument``
and kept in ``rejected``, which the test fixtures assert is empty.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import re
from collections import deque
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.fakes import FakeServer, Reply, Request
from tests.payload_checks import InvalidPayload, assert_valid_card, cards_in

__all__ = ["ConnectorCall", "FakeBotConnector"]

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TEAM_ID = "19:097e6717fd7245bdbeba6baa13840db8@thread.skype"
AAD_GROUP_ID = "2c02739d-4041-4ef2-b8b8-75508bc04808"

DEFAULT_MEMBERS: tuple[dict[str, Any], ...] = (
    {
        "id": "29:1CFIxRJBLjT_io3iNsDZxMk_4YPWQmr3DZUM1I6ihf5L2ocCDqg9S1vkHK6kRdGfK1P_2LFE2nQ",
        "objectId": "6b703ce3-6d14-4fe6-b90c-dc5f03657ae4",
        "name": "Test User One",
        "givenName": "Test",
        "surname": "User One",
        "email": "test.user.one@example.com",
        "userPrincipalName": "test.user.one@example.com",
        "tenantId": TENANT_ID,
        "userRole": "user",
    },
    {
        "id": "29:1Y4O5HRXVkiupYCf4cFe34gbeO48BX76ZYg0rItwRUUezXv3jzKwpuTMRBkI8Uq2bY68S4Tf4U",
        "objectId": "6d415fdd-f97e-4f70-ac45-e69601e4ecb2",
        "name": "Test User Two",
        "givenName": "Test",
        "surname": "User Two",
        "email": "test.user.two@example.com",
        "userPrincipalName": "test.user.two@example.com",
        "tenantId": TENANT_ID,
        "userRole": "user",
    },
)

# (HTTP method, route after /v3/) -> operation name as ConnectorClient calls it
_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (verb, re.compile(pattern), name)
    for verb, pattern, name in (
        ("GET", r"conversations", "get_conversations"),
        ("POST", r"conversations", "create_conversation"),
        ("POST", r"conversations/(?P<conv>[^/]+)/activities", "send_to_conversation"),
        ("POST", r"conversations/(?P<conv>[^/]+)/activities/history", "send_conversation_history"),
        ("POST", r"conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)", "reply_to_activity"),
        ("PUT", r"conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)", "update_activity"),
        ("DELETE", r"conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)", "delete_activity"),
        (
            "GET",
            r"conversations/(?P<conv>[^/]+)/activities/(?P<act>[^/]+)/members",
            "get_activity_members",
        ),
        ("GET", r"conversations/(?P<conv>[^/]+)/members", "get_conversation_members"),
        (
            "GET",
            r"conversations/(?P<conv>[^/]+)/members/(?P<member>[^/]+)",
            "get_conversation_member",
        ),
        (
            "DELETE",
            r"conversations/(?P<conv>[^/]+)/members/(?P<member>[^/]+)",
            "delete_conversation_member",
        ),
        ("GET", r"conversations/(?P<conv>[^/]+)/pagedmembers", "get_conversation_paged_members"),
        ("GET", r"teams/(?P<team>[^/]+)", "get_team_details"),
        ("GET", r"teams/(?P<team>[^/]+)/conversations", "get_teams_channels"),
    )
)

_ERROR_CODES = {
    400: "BadArgument",
    403: "BotNotInConversationRoster",
    404: "ConversationNotFound",
    412: "PreconditionFailed",
    429: "Throttled",
}


@dataclass(frozen=True)
class ConnectorCall:
    """One call to the connector; ``operation`` is the ConnectorClient method name."""

    method: str
    path: str
    operation: str
    conversation_id: str | None
    activity_id: str | None
    json: Any
    headers: dict[str, str]


@dataclass
class _Failure:
    status: int
    retry_after: int | None


class FakeBotConnector(FakeServer):
    """The Connector REST API on 127.0.0.1 under any path prefix (``/amer/v3/...`` too)."""

    def __init__(
        self,
        *,
        members: list[dict[str, Any]] | None = None,
        team_name: str = "Test Team",
        channels: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self.calls: list[ConnectorCall] = []
        self.rejected: list[str] = []
        self.members: list[dict[str, Any]] = copy.deepcopy(list(members or DEFAULT_MEMBERS))
        self.team_name = team_name
        self.channels: list[dict[str, Any]] = channels or [{"id": TEAM_ID, "name": "General"}]
        self._failures: deque[_Failure] = deque()
        self._serial = 0

    # ----------------------------------------------------------------- test API

    @property
    def service_url(self) -> str:
        """A Teams-like service URL on this server (``<url>/amer/``)."""
        return f"{self.url}/amer/"

    def calls_to(self, operation: str) -> list[ConnectorCall]:
        with self.lock:
            return [call for call in self.calls if call.operation == operation]

    @property
    def activities(self) -> list[dict[str, Any]]:
        """JSON bodies of every activity sent, replied or updated, in order."""
        sent = {"send_to_conversation", "reply_to_activity", "update_activity"}
        with self.lock:
            return [call.json for call in self.calls if call.operation in sent]

    def fail_next(
        self, status: int = 429, *, times: int = 1, retry_after: int | None = None
    ) -> None:
        """Answer the next ``times`` calls (any route) with ``status`` and an ErrorResponse."""
        with self.lock:
            self._failures.extend(_Failure(status, retry_after) for _ in range(times))

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.rejected.clear()
            self._failures.clear()

    # ----------------------------------------------------------------- serving

    def handle(self, request: Request) -> Reply:
        segments = request.path.split("/")
        if "v3" not in segments:
            return _error(404, "BadSyntax", f"Unknown path {request.path}")
        tail = "/".join(segments[segments.index("v3") + 1 :]).rstrip("/")
        for verb, pattern, operation in _ROUTES:
            match = pattern.fullmatch(tail)
            if verb == request.method and match:
                ids = {key: unquote(value) for key, value in match.groupdict().items()}
                return self._serve(request, operation, ids)
        return _error(404, "BadSyntax", f"Unknown route {request.method} {request.path}")

    def _serve(self, request: Request, operation: str, ids: dict[str, str]) -> Reply:
        body = request.json()
        call = ConnectorCall(
            method=request.method,
            path=request.path,
            operation=operation,
            conversation_id=ids.get("conv"),
            activity_id=ids.get("act"),
            json=body,
            headers=request.headers,
        )
        with self.lock:
            self.calls.append(call)
            if self._failures:
                failure = self._failures.popleft()
                headers = (
                    {} if failure.retry_after is None else {"Retry-After": str(failure.retry_after)}
                )
                code = _ERROR_CODES.get(failure.status, "ServiceError")
                return _error(failure.status, code, "Scripted failure", headers=headers)
            try:
                for card in cards_in(body):
                    assert_valid_card(card)
            except InvalidPayload as exc:
                self.rejected.append(f"{operation}: {exc}")
                return _error(400, "BadArgument", str(exc))
            return self._answer(operation, ids, body)

    def _answer(self, operation: str, ids: dict[str, str], body: Any) -> Reply:
        if operation in ("send_to_conversation", "reply_to_activity", "send_conversation_history"):
            return Reply.json({"id": self._activity_id()}, status=201)
        if operation == "create_conversation":
            return Reply.json(
                self._create_conversation(body if isinstance(body, dict) else {}), status=201
            )
        if operation == "update_activity":
            return Reply.json({"id": ids["act"]})
        if operation in ("delete_activity", "delete_conversation_member"):
            return Reply()
        if operation in ("get_conversation_members", "get_activity_members"):
            return Reply.json(self.members)
        if operation == "get_conversation_paged_members":
            return Reply.json({"members": self.members})
        if operation == "get_conversation_member":
            for member in self.members:
                if ids["member"] in (member["id"], member.get("objectId")):
                    return Reply.json(member)
            return _error(404, "MemberNotFoundInConversation", "The member was not found")
        if operation == "get_team_details":
            return Reply.json(
                {"id": ids["team"], "name": self.team_name, "aadGroupId": AAD_GROUP_ID}
            )
        if operation == "get_teams_channels":
            return Reply.json({"conversations": self.channels})
        return Reply.json({"conversations": [], "continuationToken": None})

    def _activity_id(self) -> str:
        self._serial += 1
        digest = hashlib.sha256(f"activity-{self._serial}".encode()).digest()
        return "1:" + base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def _create_conversation(self, body: dict[str, Any]) -> dict[str, Any]:
        self._serial += 1
        channel = (body.get("channelData") or {}).get("channel") or {}
        if channel.get("id"):
            answer = {"id": f"{channel['id']};messageid={1_571_508_432_869 + self._serial}"}
        else:
            digest = hashlib.sha256(f"conversation-{self._serial}".encode()).digest()
            answer = {"id": "a:1" + base64.urlsafe_b64encode(digest).decode().rstrip("=")}
        if body.get("activity"):
            answer["activityId"] = self._activity_id()
        return answer


def _error(status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> Reply:
    return Reply.json({"error": {"code": code, "message": message}}, status=status, headers=headers)
