"""Column type helpers shared by the model modules."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, Enum, String


def enum_type(enum_cls: type[StrEnum]) -> Enum:
    """Store the enum's *value* as plain text: readable in SQL and safe to extend later."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=24,
        values_callable=lambda members: [m.value for m in members],
    )


def money_column_type() -> BigInteger:
    """Integer minor units (cents). Never Float; Numeric is not exact on SQLite."""
    return BigInteger()


CURRENCY = String(3)
