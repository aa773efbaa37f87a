"""The catalogues keep up with the code: every text marked in the code is translated in every
language, with the same placeholders, and the shipped .mo files match their .po files."""

from __future__ import annotations

import gettext
import io
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
KEYWORDS = {
    "_": None,
    "ngettext": (1, 2),
    "lazy": None,
    "N_": None,
    "later": None,
    "nlater": (1, 2),
}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sd]|`[^`]*`")


@cache
def used_in_code() -> dict[str, str]:
    """Each message the code marks for translation (singular id) → where it is used."""
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, f"{filename}:{line}")
    return found


@cache
def catalogue(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "copbot.po", "rb") as po:
        return read_po(po, locale=language)


def placeholders(text: str) -> list[str]:
    """Format fields and `command words`: they must reach every language unchanged."""
    return sorted(_PLACEHOLDER.findall(text))


def test_the_code_marks_texts_for_translation() -> None:
    assert len(used_in_code()) > 350  # the bot speaks through the catalogues


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_text_used_in_the_code_is_translated(language: str) -> None:
    cat = catalogue(language)
    missing = []
    for msgid, where in used_in_code().items():
        message = cat.get(msgid)
        strings = () if message is None else message.string
        strings = (strings,) if isinstance(strings, str) else strings
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(f"{where}: {msgid!r}")
    assert missing == [], f"{len(missing)} texts lack a {language} translation"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language: str) -> None:
    differ = []
    for message in catalogue(language):
        if not message.id or not message.string:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        wanted = placeholders(ids[-1])
        for string in strings:
            if (
                string
                and placeholders(string) != wanted
                and placeholders(ids[0]) != placeholders(string)
            ):
                differ.append(f"{ids[0]!r} → {string!r}")
    assert differ == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_mo_matches_its_po(language: str) -> None:
    """Run `python3 dev.py i18n` after editing a .po file; this fails until then."""
    fresh = io.BytesIO()
    write_mo(fresh, catalogue(language))
    fresh.seek(0)
    shipped = LOCALE_DIR / language / "LC_MESSAGES" / "copbot.mo"
    with open(shipped, "rb") as mo:
        committed = gettext.GNUTranslations(mo)
    compiled = gettext.GNUTranslations(fresh)
    assert committed._catalog == compiled._catalog  # type: ignore[attr-defined]
