"""A synthetic law firm for benchmarks and rehearsals (``clerk seed``, ``clerk bench``).

``seed_firm(db, shape_named("large"))`` writes 500 members, 20,000 clients and years of
history in bulk; see ``shape.py`` for the sizes and ``firm.py`` for the rules it keeps.
"""

from bot.tools.seeding.firm import DEFAULT_SEED, FirmNotEmpty, SeedReport, seed_firm
from bot.tools.seeding.people import slack_id_for
from bot.tools.seeding.shape import LARGE, SIZES, SMALL, TINY, FirmShape, shape_named

__all__ = [
    "DEFAULT_SEED",
    "LARGE",
    "SIZES",
    "SMALL",
    "TINY",
    "FirmNotEmpty",
    "FirmShape",
    "SeedReport",
    "seed_firm",
    "shape_named",
    "slack_id_for",
]
