"""Source licences: which texts the published dataset may carry, read from each seed's manifest row.

A manifest row names its text's licence by SPDX identifier (``CC-BY-2.5``) or, for terms no SPDX
identifier covers, by an SPDX ``LicenseRef-`` identifier (``LicenseRef-all-rights-reserved``).
Redistribution is decided per document from that identifier through the table below, never from
the publisher. A value the table does not know is a finding (``clean.license-unknown``) and its
text is treated as not redistributable: the safe side.

Rows written before licence ids were required hold a sentence instead of an id; a sentence that
states the text is not licensed for redistribution (``all rights reserved``) is read as
``LicenseRef-all-rights-reserved``, so old rows keep their meaning and never become open by
accident.

>>> license_info("CC BY 2.5").redistributable
True
>>> license_info("LicenseRef-all-rights-reserved").redistributable
False
>>> license_info("whatever") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LicenseInfo:
    """What a licence allows: redistribution of the text, and whether attribution is required."""

    id: str
    name: str
    url: str | None
    redistributable: bool
    attribution: bool


_CC = "https://creativecommons.org/licenses/{}/{}/"

LICENSES: dict[str, LicenseInfo] = {
    info.id.casefold(): info
    for info in (
        LicenseInfo(
            "CC0-1.0",
            "Creative Commons Zero 1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            redistributable=True,
            attribution=False,
        ),
        LicenseInfo(
            "CC-BY-2.0",
            "Creative Commons Attribution 2.0",
            _CC.format("by", "2.0"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-2.5",
            "Creative Commons Attribution 2.5",
            _CC.format("by", "2.5"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-3.0",
            "Creative Commons Attribution 3.0",
            _CC.format("by", "3.0"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-4.0",
            "Creative Commons Attribution 4.0",
            _CC.format("by", "4.0"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-SA-2.5",
            "Creative Commons Attribution-ShareAlike 2.5",
            _CC.format("by-sa", "2.5"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-SA-3.0",
            "Creative Commons Attribution-ShareAlike 3.0",
            _CC.format("by-sa", "3.0"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "CC-BY-SA-4.0",
            "Creative Commons Attribution-ShareAlike 4.0",
            _CC.format("by-sa", "4.0"),
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo(
            "PDDL-1.0",
            "Open Data Commons Public Domain Dedication",
            "https://opendatacommons.org/licenses/pddl/1-0/",
            redistributable=True,
            attribution=False,
        ),
        LicenseInfo(
            "ODC-By-1.0",
            "Open Data Commons Attribution 1.0",
            "https://opendatacommons.org/licenses/by/1-0/",
            redistributable=True,
            attribution=True,
        ),
        LicenseInfo("public-domain", "Public domain", None, redistributable=True, attribution=False),
        LicenseInfo(
            "LicenseRef-all-rights-reserved", "All rights reserved", None, redistributable=False, attribution=False
        ),
    )
}

_SPACED = re.compile(r"[\s_]+")
_RESERVED = re.compile(r"\ball rights reserved\b|\bnot licensed for redistribution\b", re.IGNORECASE)


def normalize_license(value: str) -> str:
    """``CC BY 2.5`` and ``cc-by-2.5`` name one licence: spaces and underscores become hyphens."""
    return _SPACED.sub("-", value.strip())


def license_info(value: str | None) -> LicenseInfo | None:
    """The licence a manifest row or record names, or ``None`` when it is not known."""
    if not value:
        return None
    found = LICENSES.get(normalize_license(value).casefold())
    if found is None and _RESERVED.search(value):
        return LICENSES["licenseref-all-rights-reserved"]
    return found


def redistributable(value: str | None) -> bool:
    """Whether the text may be published: only for a known licence that allows it."""
    info = license_info(value)
    return info is not None and info.redistributable
