"""Catalogs and formats outside Flask: from a zipped (read-only) package, Babel's nl and en."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from wijzer.i18n import catalogs
from wijzer.i18n.formatting import format_currency, format_date, format_list, format_number

PACKAGE = Path(catalogs.__file__).resolve().parent.parent


def test_dates_money_and_numbers_as_each_language_writes_them() -> None:
    day = dt.date(2027, 4, 8)
    assert format_date(day, "nl") == "8 april 2027"
    assert format_date("2027-04-08", "en") == "8 April 2027"
    assert format_date("2027-04-08T10:00:00+00:00", "nl") == "8 april 2027"
    assert format_currency(150_000, "nl") == "€\xa0150.000"
    assert format_currency(150_000, "en") == "€150,000"
    assert format_currency(1_500.5, "nl") == "€\xa01.500,50"
    assert format_number(1_234_567.5, "nl") == "1.234.567,5"
    assert format_number(1_234_567.5, "en") == "1,234,567.5"
    assert format_list(["Utrecht", "Limburg"], "nl", "or") == "Utrecht of Limburg"


def test_each_area_keeps_its_own_words() -> None:
    # Two domains translate "Type" differently; an email asks for the alerts domain only.
    assert catalogs.gettext_for("nl", "alerts")("Type") == "Soort"
    assert catalogs.gettext_for("nl", "reasons")("national scheme") == "landelijke regeling"
    assert catalogs.gettext_for("en", "reasons")("national scheme") == "national scheme"
    plural = catalogs.ngettext_for("nl")
    assert plural("%(num)d matching instrument", "%(num)d matching instruments", 3) == (
        "3 passende regelingen"
    )


def test_catalogs_load_from_a_zipped_package_and_write_nothing(tmp_path: Path) -> None:
    """An installed package may be read-only or zipped: catalogs compile in memory."""
    before = sorted(p.name for p in (PACKAGE / "translations").rglob("*"))
    archive = tmp_path / "wijzer.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in PACKAGE.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("wijzer") / path.relative_to(PACKAGE))
    script = (
        "import sys, wijzer, datetime\n"
        "from wijzer.i18n.catalogs import gettext_for\n"
        "from wijzer.i18n.wording import render\n"
        "from wijzer.matcher import reasons\n"
        "assert wijzer.__file__.startswith(sys.argv[1]), wijzer.__file__\n"
        "print(render(reasons.closes_on(datetime.date(2027, 4, 8)), 'nl'))\n"
        "print(gettext_for('nl', 'alerts')('Deadline:'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["sluit op 8 april 2027", "Sluitingsdatum:"]
    assert sorted(p.name for p in (PACKAGE / "translations").rglob("*")) == before
