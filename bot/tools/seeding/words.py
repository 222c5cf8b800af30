"""The vocabulary of the synthetic firm: names, industries, matter titles, contact notes.

Plausible enough that a demo or a profile reads like a firm's records; invented, so no real
person or company appears in a benchmark database.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Ada Alan Alma Amir Ana Andre Anya Ari Beatriz Ben Bianca Carlos Chen Chloe Dana Daniel "
    "Diego Elena Eli Emma Eric Farah Felix Grace Hana Hugo Ines Ivan Jade James Jana Joao "
    "Jonas Julia Kai Karim Lara Lena Leo Lucia Luis Maya Mark Marta Mei Mila Nadia Nina Noah "
    "Omar Oscar Paul Priya Rafael Rosa Ruth Sam Sara Sofia Tariq Theo Uma Vera Victor Yara "
    "Yusuf Zoe"
)

LAST_NAMES = _words(
    "Abbott Alvarez Bauer Becker Brennan Castillo Chandra Cohen Costa Dalton Diaz Dubois "
    "Eriksen Fischer Fong Garcia Gomez Grant Haas Hale Ibarra Ito Jensen Kaplan Khan Kim "
    "Kowalski Lam Larsen Lopez Mahler Marsh Meyer Molina Moreau Nakamura Novak Okafor Olsen "
    "Ortiz Park Patel Pereira Quinn Reyes Rossi Santos Schmidt Shah Silva Sousa Stone Tan "
    "Torres Varga Vogel Walsh Weber Wong Young Zhang"
)

ORG_WORDS = _words(
    "Acme Apex Arbor Atlas Beacon Birch Blue Bright Cedar Coastal Crown Delta Eagle Ember "
    "Falcon Frontier Globe Granite Harbor Helix Horizon Iron Keystone Lakeside Liberty Lumen "
    "Maple Meridian Metro Northwind Oak Orbit Pacific Peak Pine Pioneer Prairie Quantum "
    "Redwood Ridge River Sable Sierra Silver Summit Sun Tandem Titan Trident Union Valley "
    "Vantage Vertex Willow Zenith"
)

ORG_NOUNS = _words(
    "Logistics Holdings Partners Builders Foods Health Labs Media Motors Realty Systems "
    "Energy Capital Freight Textiles Pharma Robotics Software Insurance Hotels Farms Metals"
)

ORG_SUFFIXES = ("Inc.", "LLC", "Corp.", "Ltd.", "Group", "Co.", "LLP")

INDUSTRIES = (
    "construction",
    "healthcare",
    "technology",
    "real estate",
    "manufacturing",
    "retail",
    "transport",
    "finance",
    "hospitality",
    "agriculture",
    "energy",
    "media",
)

SIZES = ("1-10", "11-50", "51-200", "201-1000", "1000+")

PRACTICE_AREAS = (
    "litigation",
    "employment",
    "corporate",
    "real estate",
    "intellectual property",
    "family",
    "estate planning",
    "tax",
    "insurance defense",
    "bankruptcy",
)

MATTER_TITLES = (
    "v. {other} (breach of contract)",
    "Lease dispute with {other}",
    "Acquisition of {other}",
    "Employment claim by former manager",
    "Trademark opposition against {other}",
    "Estate of {person}",
    "Custody and support",
    "Zoning appeal",
    "Insurance coverage dispute",
    "Shareholder agreement",
    "Chapter 11 reorganisation",
    "Tax audit {year}",
    "Supplier arbitration with {other}",
    "Wrongful termination ({person})",
    "Patent licensing with {other}",
    "Construction defect claim",
)

# From the closed list /matter edit takes (bot.clients.matter_edit), hourly the most common.
FEE_ARRANGEMENTS = ("hourly", "hourly", "hourly", "fixed", "contingency", "retainer")

CONTACT_SUMMARIES = (
    "discussed settlement range",
    "reviewed draft agreement",
    "update on discovery schedule",
    "client asked about fees",
    "prepared for deposition",
    "sent engagement letter",
    "agreed to mediation",
    "walked through the court's order",
    "collected documents for production",
    "call about the invoice",
    "strategy meeting with the general counsel",
    "confirmed hearing logistics",
    "reviewed witness list",
    "negotiated lease terms",
    "explained next steps after the ruling",
)

DEADLINE_TITLES = (
    "Answer to complaint",
    "Reply brief",
    "Opposition to motion to dismiss",
    "Expert report",
    "Initial disclosures",
    "Discovery cut-off",
    "Hearing on motion to compel",
    "Status conference",
    "Deposition of plaintiff",
    "Mediation statement",
    "Pretrial order",
    "Notice of appeal",
    "Filing of annual report",
    "Closing documents",
    "Response to interrogatories",
    "Trademark office action response",
)

# Rule chains as ``/deadline apply`` stores them: the trigger, then its dependents.
RULE_CHAINS = (
    (
        ("frcp:served", "Service of the complaint", None),
        ("frcp:answer", "Answer to complaint", "Fed. R. Civ. P. 12(a)(1)(A)(i)"),
        ("frcp:rule26f", "Rule 26(f) conference", "Fed. R. Civ. P. 26(f)(1)"),
    ),
    (
        ("frcp:judgment", "Entry of judgment", None),
        ("frcp:new_trial", "Motion for a new trial", "Fed. R. Civ. P. 59(b)"),
        ("frcp:notice_of_appeal", "Notice of appeal", "Fed. R. App. P. 4(a)(1)(A)"),
    ),
)

TIME_ZONES = (
    ("America/New_York", 60),
    ("America/Chicago", 15),
    ("America/Denver", 5),
    ("America/Los_Angeles", 15),
    ("Europe/London", 5),
)
