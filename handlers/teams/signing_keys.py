"""The Bot Framework's token signing keys, fetched without freezing the process.

botframework-connector fetches its OpenID metadata and keys with a blocking ``requests.get``
and no timeout, on the event loop: one request while Microsoft's endpoint hangs stops every
Slack acknowledgement and ``/healthz``. :func:`install` swaps in :class:`SigningKeys`,
which fetches in its own small thread pool with a timeout (one fetch at a time per URL,
shared by everyone waiting), keeps the keys for a day (refetching at most hourly for an
unknown key id, as the SDK does), and remembers a failure for :data:`FAILURE_TTL` seconds
so a dead endpoint costs one timeout, not one per request.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

import requests
from botframework.connector.auth import jwt_token_extractor  # type: ignore[import-untyped]
from jwt.algorithms import RSAAlgorithm

FETCH_TIMEOUT = 5.0
FAILURE_TTL = 30.0
KEEP = timedelta(days=1)
UNKNOWN_KEY_REFRESH = timedelta(hours=1)

_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="teams-signing-keys")
_CACHE: dict[str, SigningKeys] = {}
_CACHE_LOCK = threading.Lock()


class SigningKeysUnavailable(Exception):
    """Microsoft's signing keys could not be fetched (now, or within the last few seconds)."""


class StillUnavailable(SigningKeysUnavailable):
    """The last fetch failed moments ago (logged then, with its traceback)."""


class SigningKeys(jwt_token_extractor._OpenIdMetadata):  # type: ignore[misc]
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._lock = threading.Lock()
        self._pending: Future[list[dict[str, Any]]] | None = None
        self._failed_until = 0.0

    async def get(self, key_id: str | None) -> Any:
        if self.last_updated < datetime.now() - KEEP:
            await self._refresh()
        key = self._find(key_id)
        if key is None and self.last_updated < datetime.now() - UNKNOWN_KEY_REFRESH:
            await self._refresh()
            key = self._find(key_id)
        if key is None:
            raise PermissionError("Unauthorized: the token's signing key is not known.")
        return key

    async def _refresh(self) -> None:
        with self._lock:
            if time.monotonic() < self._failed_until:
                raise StillUnavailable(
                    "Bot Framework signing keys failed to load moments ago; not retrying yet."
                )
            if self._pending is None:
                self._pending = _POOL.submit(self._fetch)
            pending = self._pending
        try:
            keys = await asyncio.wrap_future(pending)
        except Exception as error:
            self._settle(pending, failed=True)
            raise SigningKeysUnavailable(
                f"Bot Framework signing keys could not be fetched from {self.url}"
            ) from error
        self._settle(pending, failed=False)
        self.keys = keys
        self.last_updated = datetime.now()

    def _settle(self, pending: Future[list[dict[str, Any]]], *, failed: bool) -> None:
        with self._lock:
            if self._pending is pending:
                self._pending = None
                if failed:
                    self._failed_until = time.monotonic() + FAILURE_TTL

    def _fetch(self) -> list[dict[str, Any]]:
        metadata = requests.get(self.url, timeout=FETCH_TIMEOUT)
        metadata.raise_for_status()
        answer = requests.get(str(metadata.json()["jwks_uri"]), timeout=FETCH_TIMEOUT)
        answer.raise_for_status()
        keys = answer.json()["keys"]
        if not isinstance(keys, list):
            raise ValueError("the key set is not a list")
        return [key for key in keys if isinstance(key, dict)]

    def _find(self, key_id: str | None) -> Any:
        for key in self.keys or []:
            if key_id is not None and key.get("kid") == key_id:
                public_key = RSAAlgorithm.from_jwk(json.dumps(key))
                endorsements = key.get("endorsements", [])
                return jwt_token_extractor._OpenIdConfig(public_key, endorsements)
        return None


def signing_keys(url: str) -> SigningKeys:
    """The one :class:`SigningKeys` for ``url``."""
    with _CACHE_LOCK:
        keys = _CACHE.get(url)
        if keys is None:
            keys = _CACHE[url] = SigningKeys(url)
        return keys


def install() -> None:
    """Make the SDK's token validation use :class:`SigningKeys` (idempotent)."""
    jwt_token_extractor.JwtTokenExtractor.get_open_id_metadata = staticmethod(signing_keys)
