"""The conflict search's recall on name variants written by hand: typos, legal forms,
word order, accents and punctuation. Every variant must find its name (recall 1.0), and
a handful of unrelated names must find nothing (the search is not "everything matches")."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.clients import conflicts
from bot.clients.names import normalise
from bot.permissions import Actor
from storage.db import Database
from storage.models import Client, Matter, Party, PartyRole, Role, User

KNOWN = {
    "ACME": "Acme Corporation",
    "GLOBEX": "Globex Holdings, Inc.",
    "MULLER": "Müller & Söhne GmbH",
    "OBRIEN": "O'Brien & Partners LLP",
    "SMITH": "John A. Smith",
    "NESTLE": "Société Générale S.A.",
    "WAYNE": "Wayne Enterprises",
    "STARK": "Stark Industries Ltd.",
    "GARCIA": "José García Fernández",
    "UMBRELLA": "Umbrella Corp.",
}
PARTIES = {
    "Initech Software Limited": PartyRole.ADVERSE,
    "Dr. Zoë Björk": PartyRole.WITNESS,
    "Cyberdyne Systems Corp": PartyRole.ADVERSE,
    "Kowalski, Anna": PartyRole.RELATED,
    "Tyrell-Weyland plc": PartyRole.OPPOSING_COUNSEL,
}
# (what someone types, the name it must find)
VARIANTS = [
    ("Acme Corp", "Acme Corporation"),
    ("ACME, Inc.", "Acme Corporation"),
    ("acme corporaton", "Acme Corporation"),
    ("Acme Co", "Acme Corporation"),
    ("The Acme Company", "Acme Corporation"),
    ("Akme Corporation", "Acme Corporation"),
    ("Acme LLC", "Acme Corporation"),
    ("Globex", "Globex Holdings, Inc."),
    ("Globex Holdings", "Globex Holdings, Inc."),
    ("Holdings Globex", "Globex Holdings, Inc."),
    ("Globex Holdngs Inc", "Globex Holdings, Inc."),
    ("GLOBEX HOLDINGS LTD", "Globex Holdings, Inc."),
    ("Glbex Holdings", "Globex Holdings, Inc."),
    ("Muller & Sohne", "Müller & Söhne GmbH"),
    ("Mueller und Soehne", "Müller & Söhne GmbH"),
    ("müller söhne gmbh", "Müller & Söhne GmbH"),
    ("Söhne Müller", "Müller & Söhne GmbH"),
    ("Muller and Sohne AG", "Müller & Söhne GmbH"),
    ("OBrien Partners", "O'Brien & Partners LLP"),
    ("O Brien and Partners", "O'Brien & Partners LLP"),
    ("o'brien partners llp", "O'Brien & Partners LLP"),
    ("Partners O'Brien", "O'Brien & Partners LLP"),
    ("O'Brian & Partners", "O'Brien & Partners LLP"),
    ("Smith, John A.", "John A. Smith"),
    ("John Smith", "John A. Smith"),
    ("Smith John", "John A. Smith"),
    ("Jon A Smith", "John A. Smith"),
    ("J. A. Smith", "John A. Smith"),
    ("Societe Generale", "Société Générale S.A."),
    ("Société Générale SA", "Société Générale S.A."),
    ("Generale Societe", "Société Générale S.A."),
    ("SOCIETE GENERALE S.A", "Société Générale S.A."),
    ("Societe Generale Inc", "Société Générale S.A."),
    ("Wayne Enterprise", "Wayne Enterprises"),
    ("Enterprises Wayne", "Wayne Enterprises"),
    ("Wayne Enterprises, Inc.", "Wayne Enterprises"),
    ("Wane Enterprises", "Wayne Enterprises"),
    ("Stark Industries", "Stark Industries Ltd."),
    ("Stark Industries Limited", "Stark Industries Ltd."),
    ("Industries Stark", "Stark Industries Ltd."),
    ("Stark Indsutries", "Stark Industries Ltd."),
    ("stark-industries", "Stark Industries Ltd."),
    ("Jose Garcia Fernandez", "José García Fernández"),
    ("García Fernández, José", "José García Fernández"),
    ("Jose Garcia", "José García Fernández"),
    ("Fernandez Garcia Jose", "José García Fernández"),
    ("Umbrella Corporation", "Umbrella Corp."),
    ("Umbrella", "Umbrella Corp."),
    ("Umbrela Corp", "Umbrella Corp."),
    ("Initech Software", "Initech Software Limited"),
    ("Initech Software Ltd", "Initech Software Limited"),
    ("Software Initech", "Initech Software Limited"),
    ("Inittech Software", "Initech Software Limited"),
    ("Zoe Bjork", "Dr. Zoë Björk"),
    ("Björk, Zoë", "Dr. Zoë Björk"),
    ("Dr Zoe Bjork", "Dr. Zoë Björk"),
    ("Cyberdyne Systems", "Cyberdyne Systems Corp"),
    ("Cyberdyne Systems Inc.", "Cyberdyne Systems Corp"),
    ("Systems Cyberdyne", "Cyberdyne Systems Corp"),
    ("Cyberdine Systems", "Cyberdyne Systems Corp"),
    ("Anna Kowalski", "Kowalski, Anna"),
    ("Kowalsky Anna", "Kowalski, Anna"),
    ("ANNA KOWALSKI", "Kowalski, Anna"),
    ("Tyrell Weyland", "Tyrell-Weyland plc"),
    ("Tyrell-Weyland PLC", "Tyrell-Weyland plc"),
    ("Weyland Tyrell", "Tyrell-Weyland plc"),
    ("Tyrel Weyland", "Tyrell-Weyland plc"),
]
UNRELATED = ["Hooli", "Pied Piper", "Vandelay Industries", "Bluth Company", "Dunder Mifflin"]
ACTOR = Actor(slack_id="U_LENA", user_id=1, role=Role.LAWYER, tz=None, name="Lena")


@pytest.fixture
def session(db: Database) -> Session:
    with db.unit_of_work("test-setup") as s:
        s.add(User(slack_id="U_LENA", name="lena", role=Role.LAWYER))
        s.flush()
        for code, name in KNOWN.items():
            s.add(Client(code=code, name=name, lawyer_id=1))
        s.flush()
        matter = Matter(
            code="ACME-1", client_id=1, number=1, title="Lease", opened_on=date(2026, 1, 5)
        )
        s.add(matter)
        s.flush()
        for name, role in PARTIES.items():
            s.add(Party(matter_id=matter.id, name=name, normalised=normalise(name), role=role))
    with db.reading() as reading:
        yield reading


def test_recall_on_hand_written_variants_is_complete(session: Session) -> None:
    assert len(VARIANTS) >= 60
    missed = [
        (typed, wanted)
        for typed, wanted in VARIANTS
        if wanted not in {h.name for h in conflicts.search(session, actor=ACTOR, name=typed).hits}
    ]
    recall = 1 - len(missed) / len(VARIANTS)
    assert missed == [], f"recall {recall:.3f}"
    for name in UNRELATED:
        assert conflicts.search(session, actor=ACTOR, name=name).hits == [], name
