"""The clean stage: raw seed pages (text renderings or HTML) to document records without annotations.

Library API (the build stage and the CLI call these):

- :func:`clean_page` — pure: raw bytes + metadata/profile/overrides -> :class:`CleanResult`.
- :func:`clean_manifest` — every seed of ``seeds/manifest.json``, returned, not written.
- :func:`write_corpus` — atomic ``corpus/<id>.json`` writes.

See ``docs/cleaning.md`` for the rules, reasons, profiles and override files.
"""

from __future__ import annotations

from newsevents.clean.corpus import (
    clean_file,
    clean_manifest,
    clean_seed,
    dedupe_inputs,
    iter_inputs,
    read_manifest,
    write_corpus,
    write_outputs,
)
from newsevents.clean.overrides import OverrideLine, Overrides, overrides_from_dict
from newsevents.clean.pipeline import CLEANER, CleanResult, SeedMeta, clean_page, doc_id_for
from newsevents.clean.profiles import Profile, builtin_profiles, detect_profile, get_profile, profile_from_dict

__all__ = [
    "CLEANER",
    "CleanResult",
    "OverrideLine",
    "Overrides",
    "Profile",
    "SeedMeta",
    "builtin_profiles",
    "clean_file",
    "clean_manifest",
    "clean_page",
    "clean_seed",
    "dedupe_inputs",
    "detect_profile",
    "doc_id_for",
    "get_profile",
    "iter_inputs",
    "overrides_from_dict",
    "profile_from_dict",
    "read_manifest",
    "write_corpus",
    "write_outputs",
]
