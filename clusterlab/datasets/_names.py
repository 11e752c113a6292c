"""Fictional names for the synthetic demo world (no real firm, person or place is meant)."""

from __future__ import annotations

import numpy as np

PLACES = [
    "Northport",
    "Eastshire",
    "Valley",
    "Brackenmoor",
    "Corrin",
    "Dunmere",
    "Elmvale",
    "Farrowby",
    "Glenhaven",
    "Harrowgate",
    "Ivel",
    "Juniper Bay",
    "Kestrel Point",
    "Larkfield",
    "Merrow",
    "Nettlecombe",
    "Oakhurst",
    "Pellham",
    "Quarrybrook",
    "Ravensmere",
    "Saltmarsh",
    "Thornbury",
    "Umberleigh",
    "Vennford",
    "Westerlow",
    "Yarrowby",
    "Ashcombe",
    "Birchley",
    "Coldharbour",
    "Deepdale",
    "Emberton",
    "Foxley",
    "Greywater",
    "Hollowmere",
    "Inglestone",
    "Kingsreach",
    "Lowmoor",
    "Millbrook",
    "Northwold",
    "Orchard Cross",
]
PROVINCES = [
    "Coastal Province",
    "Midland Province",
    "Upland Province",
    "River Province",
    "Eastern Province",
]

_FIRST = [
    "Kestrel",
    "Harbour",
    "Tidewell",
    "Brightwater",
    "Anchor",
    "Greenfield",
    "Orchard",
    "Meadow",
    "Copperleaf",
    "Silverline",
    "Bluefin",
    "Northstar",
    "Ironbridge",
    "Lumen",
    "Vireo",
    "Calder",
    "Ostrea",
    "Pinecrest",
    "Redwing",
    "Saltire",
    "Halcyon",
    "Juniper",
    "Marlow",
    "Quill",
    "Rowan",
    "Sable",
    "Thistle",
    "Umber",
    "Wren",
    "Yarrow",
    "Alder",
    "Bramble",
    "Cobalt",
    "Delta",
    "Ember",
    "Fennel",
    "Garnet",
    "Heron",
    "Indigo",
    "Jasper",
]
_CORE = {
    "maritime": [
        "Marine Works",
        "Shipyards",
        "Offshore Systems",
        "Port Services",
        "Hydraulics",
        "Naval Design",
        "Sailmakers",
        "Propulsion",
    ],
    "foodtech": [
        "Foods",
        "Dairy",
        "Bakeries",
        "Food Labs",
        "Packaging",
        "Fermentation",
        "Agritech",
        "Ingredients",
    ],
    "medtech": [
        "Medical",
        "Diagnostics",
        "Biosystems",
        "Implants",
        "Surgical",
        "Imaging",
        "Lab Devices",
        "Health Data",
    ],
}
_SUFFIX = ["Ltd", "GmbH", "& Co", "Group", "AB", "SA", "plc", "Partners"]
_ORGS = {
    "university": ["University of {place}", "{place} Technical University"],
    "research_institute": ["{place} Institute for Applied Research", "{place} Research Centre"],
    "agency": ["{place} Development Agency", "{place} Innovation Office"],
    "service_provider": [
        "{place} Testing Services",
        "{place} Patent Bureau",
        "{place} Export Advisers",
    ],
    "association": ["{place} Chamber of Industry", "{place} Cluster Association"],
}


def firm_names(rng: np.random.Generator, theme: str, n: int) -> list[str]:
    """``n`` distinct fictional firm names for a cluster theme."""
    core = _CORE.get(theme, ["Industries", "Works", "Systems", "Solutions"])
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = f"{rng.choice(_FIRST)} {rng.choice(core)} {rng.choice(_SUFFIX)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def org_name(kind: str, place: str, variant: int) -> str:
    """A fictional support organisation's name."""
    templates = _ORGS[kind]
    return templates[variant % len(templates)].format(place=place)
