"""Teams on the wire, locally: a Bot Framework token issuer, the recorded requests, credentials.

``BotFrameworkIssuer`` plays ``login.botframework.com``: it serves the OpenID metadata and the
signing keys (JWKS, endorsed for ``msteams``) and signs JWTs with a freshly generated RSA key,
exactly the shape of the tokens Teams sends. The SDK's real validation code
(``ChannelValidation``) is pointed at it, so a test token is checked for signature, issuer,
audience, expiry and service URL like a real one.
"""

from __future__ import annotations

import copy
import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import jwt
from botframework.connector.auth import (  # type: ignore[import-untyped]
    MicrosoftAppCredentials,
    PasswordServiceClientCredentialFactory,
)
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes import FakeServer, Reply, Request
from tests.fixtures import TEAMS_RECORDINGS, TEAMS_SAMPLES

APP_ID = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a"  # the recorded bot is 28:<this id>
APP_PASSWORD = "test-password"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ISSUER = "https://api.botframework.com"
OUTBOUND_TOKEN = "outbound-test-token"


class BotFrameworkIssuer(FakeServer):
    """OpenID metadata, JWKS and token signing for the Bot Framework channel."""

    def __init__(self) -> None:
        super().__init__()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "cop-bot-test-key"

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    def handle(self, request: Request) -> Reply:
        if request.path == "/v1/.well-known/openidconfiguration":
            return Reply.json(
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": "https://invalid.botframework.com",
                    "jwks_uri": f"{self.url}/v1/.well-known/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                }
            )
        if request.path == "/v1/.well-known/keys":
            jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update(kid=self.kid, use="sig", endorsements=["msteams", "emulator"])
            return Reply.json({"keys": [jwk]})
        return Reply.json({"error": "not found"}, status=404)

    def token(
        self,
        *,
        service_url: str,
        audience: str = APP_ID,
        issuer: str = ISSUER,
        lifetime: int = 3600,
        key: rsa.RSAPrivateKey | None = None,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + lifetime,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})


class StaticCredentials(MicrosoftAppCredentials):  # type: ignore[misc]
    """The bot's outbound credentials without Azure AD: a fixed bearer token."""

    def __init__(self, app_id: str = APP_ID) -> None:
        super().__init__(app_id, APP_PASSWORD)

    def get_access_token(self, force_refresh: bool = False) -> str:
        return OUTBOUND_TOKEN


class LocalCredentialFactory(PasswordServiceClientCredentialFactory):  # type: ignore[misc]
    """Checks app ids like the real factory; hands out :class:`StaticCredentials`."""

    def __init__(self) -> None:
        super().__init__(APP_ID, APP_PASSWORD)

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> StaticCredentials:
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return StaticCredentials(app_id)


@cache
def _read(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8-sig") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def recordings(kind: str = "request") -> list[Path]:
    return sorted(TEAMS_RECORDINGS.glob(f"*-{kind}-*.json"))


def recorded(name: str) -> dict[str, Any]:
    """The body of a recorded inbound request (a deep copy), by file name or time stamp."""
    matches = [p for p in recordings() if p.name.startswith(name) or p.name == name]
    if len(matches) != 1:
        raise LookupError(f"{name!r} matches {len(matches)} recordings")
    return copy.deepcopy(_read(str(matches[0]))["body"])


def sample(name: str) -> dict[str, Any]:
    return copy.deepcopy(_read(str(TEAMS_SAMPLES / f"{name}.json")))


# The recordings' people and places.
MENTION = "20191020020553704"  # "<at>My Combined</at>1" in a channel, from Test User One
PERSONAL = "20191021205338231"  # "file" in a personal chat, from Test User Two
CARD_SUBMIT = "20191020015221814"  # a message carrying a card's submitted value
TASK_FETCH = "20191020021852930"
TASK_SUBMIT = "20191020021910141"
FETCH_TASK = "20191019180708590"  # composeExtension/fetchTask
TEAM_RENAMED = "20191019181135720"  # conversationUpdate in a channel
USER_ONE_AAD = "6b703ce3-6d14-4fe6-b90c-dc5f03657ae4"
USER_ONE_EMAIL = "test.user.one@example.com"
USER_TWO_AAD = "6d415fdd-f97e-4f70-ac45-e69601e4ecb2"
CHANNEL = "19:097e6717fd7245bdbeba6baa13840db8@thread.skype"


def with_text(body: dict[str, Any], command: str) -> dict[str, Any]:
    """A recorded @mention message carrying another command after the same mention."""
    mention = next(e for e in body["entities"] if e["type"] == "mention")
    body["text"] = f"{mention['text']} {command}"
    return body
