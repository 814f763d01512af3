"""The kind of a member agency, read from its name (pure: no Django).

A samordningsförbund's members are fixed by the Finsam act (lag 2003:1210): Försäkringskassan,
Arbetsförmedlingen, one or more regions and one or more municipalities. The operator types the names;
the kind follows from them, and anything else is "other".
"""

from __future__ import annotations

import re

FK = "fk"
AF = "af"
REGION = "region"
MUNICIPALITY = "municipality"
OTHER = "other"


def agency_kind_of_name(name: str) -> str:
    words = name.strip().casefold()
    if words == "försäkringskassan":
        return FK
    if words == "arbetsförmedlingen":
        return AF
    if words.startswith("region ") or words.endswith(" region") or words.endswith("landsting"):
        return REGION
    if words.endswith(" kommun") or words.endswith(" stad") or words.endswith("s kommun"):
        return MUNICIPALITY
    return OTHER


def agency_names_from_text(text: str) -> list[str]:
    """One name per line (or separated by semicolons); blanks dropped, repeats kept once, spaces tidied."""
    names: dict[str, str] = {}
    for part in re.split(r"[\n;]", text):
        name = " ".join(part.split())
        if name and name.casefold() not in names:
            names[name.casefold()] = name
    return list(names.values())
