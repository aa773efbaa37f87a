#!/usr/bin/env python3
"""Set up and use cop-bot on a fresh machine with nothing but Python 3.11+ and pip.

    python3 dev.py run     # run the bot on its embedded defaults (SQLite, console + web)
    python3 dev.py test    # run the test suite
    python3 dev.py chat --user ana --channel design-thinking
    python3 dev.py copbot <any copbot arguments>
    python3 dev.py i18n    # extract texts into messages.pot, update the .po files, compile .mo

The first use creates .venv and installs the project into it; later uses only check that
pyproject.toml has not changed since, so they start at once.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("COPBOT_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".copbot-installed"


def _wanted() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_env() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036  (dev.py may be started by an older python3)
        sys.exit(f"cop-bot needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if STAMP.exists() and STAMP.read_text() == _wanted():
        return
    if not (BIN / "python").exists():
        print(f"Creating a virtual environment in {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing cop-bot and its dependencies (first run only) …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True)
    STAMP.write_text(_wanted())


LOCALES = ROOT / "bot" / "i18n" / "locale"
# Besides _ and ngettext: bot.i18n's lazy, N_, later and nlater (singular, plural).
KEYWORDS = ("lazy", "N_", "later", "nlater:1,2")


def catalogues() -> int:
    """Babel's three steps (docs/i18n.md): extract, update each language, compile."""
    babel = str(BIN / "pybabel")
    pot = str(LOCALES / "messages.pot")
    keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
    steps = [
        [
            babel,
            "extract",
            "-F",
            "babel.cfg",
            *keywords,
            "--no-location",
            "--sort-output",
            "--project",
            "cop-bot",
            "-o",
            pot,
            ".",
        ],
        [
            babel,
            "update",
            "-i",
            pot,
            "-d",
            str(LOCALES),
            "-D",
            "copbot",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ],
        [babel, "compile", "-d", str(LOCALES), "-D", "copbot", "--statistics"],
    ]
    for step in steps:
        code = subprocess.call(step)
        if code:
            return code
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    ensure_env()
    command, rest = argv[0], argv[1:]
    if command == "test":
        args = [str(BIN / "python"), "-m", "pytest", *rest]
    elif command in ("run", "serve", "worker", "chat", "db"):
        args = [str(BIN / "copbot"), command, *rest]
    elif command == "copbot":
        args = [str(BIN / "copbot"), *rest]
    elif command == "i18n":
        os.chdir(ROOT)
        return catalogues()
    else:
        print(f'Unknown command "{command}". Use run, test, chat or copbot.', file=sys.stderr)
        return 2
    os.chdir(ROOT)
    return subprocess.call(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
