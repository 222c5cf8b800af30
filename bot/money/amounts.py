"""Money as integer cents with an ISO 4217 code, and reading amounts that people type.

Why this is strict: an amount Clerk misreads becomes an invoice or a payment in a client's
ledger. So the reader accepts the handful of ways staff really write money (``$12,500``,
``12500``, ``12,500.50``, ``USD 12500``, ``EUR 900``, ``€900``, ``12500 usd``, ``$1.5k``) and
refuses everything it would have to guess at, quoting what it read and saying how to write it.

Decisions, each on purpose:

* A comma is only ever a thousands separator and a point only ever the decimal mark.
  ``12.500`` (twelve and a half, or European twelve thousand five hundred?) and ``12,50``
  (European twelve-fifty?) are refused rather than guessed.
* ``k`` glued to a number means thousands (``$1.5k`` = $1,500.00): staff write it in chat and
  it has one meaning. ``m``/``mm``/``bn`` are refused: in accounting ``M`` often means
  thousands and ``MM`` millions, so the letter does not say which.
* ``$`` means the firm's currency when that is a dollar currency (CAD firms type ``$500``
  and mean CAD), and US dollars otherwise. ``Money.format`` mirrors this: it only writes a
  symbol for the firm's own currency, so formatting and reading round-trip for any firm.
* Only currencies whose minor unit is the cent (two decimals) are accepted. Clerk stores
  cents; a yen or dinar amount would silently be off by 100 or 10, so JPY, KWD and the like
  are refused with a message saying so.
* Amounts are positive by default; zero and negatives are opt-in per call site.
* More than 10^13 cents (a hundred billion) is refused as a typo, not stored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import total_ordering

from bot.errors import Conflict, InvalidInput
from bot.money.currencies import (
    HOME_SYMBOLS,
    PREFIXED_DOLLARS,
    SYMBOLS,
    dollar_sign_currency,
    normalize_currency,
)

MAX_CENTS = 10**13
AMOUNT_USAGE = "Amounts look like $12,500, 12500, 12,500.50, USD 12500, EUR 900 or $1.5k."

_SCALE_WORDS = frozenset(
    {"m", "mm", "mn", "mil", "b", "bn", "million", "millions", "thousand", "thousands", "billion"}
)


class CurrencyMismatch(Conflict):
    """Two amounts in different currencies met: Clerk never converts, so it refuses."""


@total_ordering
@dataclass(frozen=True)
class Money:
    """An exact amount: ``cents`` hundredths of ``currency``. Negative means owed back."""

    cents: int
    currency: str

    def __post_init__(self) -> None:
        # bool is an int subclass; True cents is always a bug, never an amount.
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError(f"Money.cents must be an int number of cents, got {self.cents!r}")
        object.__setattr__(self, "currency", normalize_currency(self.currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def total(cls, amounts: Iterable[Money], currency: str) -> Money:
        """Sum amounts that must all be in ``currency`` (the built-in ``sum`` starts at 0)."""
        result = cls.zero(currency)
        for amount in amounts:
            result = result + amount
        return result

    def _check_same_currency(self, other: Money, verb: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(
                f"Clerk cannot {verb} {self.format()} and {other.format()}: they are in "
                f"different currencies ({self.currency} and {other.currency}), and Clerk "
                "never converts between currencies."
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other, "add")
        return Money(self.cents + other.cents, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other, "subtract")
        return Money(self.cents - other.cents, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.cents, self.currency)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._check_same_currency(other, "compare")
        return self.cents < other.cents

    def format(self, home_currency: str = "USD") -> str:
        """``$12,500.00`` for the firm's own currency, ``EUR 900.00`` otherwise; ``-$25.00``.

        A symbol is written only for ``home_currency`` because ``$`` alone is ambiguous
        between dollar currencies; ``parse_amount`` with the same home reads it back.
        """
        sign = "-" if self.cents < 0 else ""
        units, rem = divmod(abs(self.cents), 100)
        body = f"{units:,}.{rem:02d}"
        home = home_currency.strip().upper()
        symbol = HOME_SYMBOLS.get(self.currency) if self.currency == home else None
        if symbol:
            return f"{sign}{symbol}{body}"
        return f"{sign}{self.currency} {body}"

    def __str__(self) -> str:
        return self.format()

    def decimal_string(self) -> str:
        """``12500.00`` / ``-25.00``: no symbol, no grouping, always two decimals (CSV)."""
        sign = "-" if self.cents < 0 else ""
        units, rem = divmod(abs(self.cents), 100)
        return f"{sign}{units}.{rem:02d}"

    @classmethod
    def from_decimal_string(cls, text: str, currency: str) -> Money:
        """Read what ``decimal_string`` writes (also ``12500`` and ``12500.5``), strictly.

        Meant for imports and stored values, where a loose reading would hide a bad file.
        """
        s = text.strip()
        match = _PLAIN_DECIMAL.fullmatch(s)
        if not match or len(s) > 24:
            raise InvalidInput(
                f'"{s[:40]}" is not a plain decimal amount: expected digits with an optional '
                "point and up to two decimals, such as 12500.00."
            )
        sign, units, frac = match.group(1), match.group(2), match.group(3) or ""
        cents = int(units) * 100 + int(frac.ljust(2, "0"))
        if cents > MAX_CENTS:
            raise InvalidInput(f'"{s}" is more than the largest amount Clerk accepts.')
        return cls(-cents if sign else cents, currency)


_PLAIN_DECIMAL = re.compile(r"(-?)([0-9]+)(?:\.([0-9]{1,2}))?")

_TOKEN = re.compile(
    r"""
    (?P<num>[.,]*[0-9][0-9.,]*)(?P<k>[kK](?![^\W\d_]))?
    |(?P<dollar>(?i:US|CA|C|AU|A|NZ|HK|SG|S|MX)\$)
    |(?P<word>[^\W\d_]+)
    |(?P<sym>[$€£])
    |(?P<sign>[-+\u2212])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,  # every character lands in some group; none is skipped silently
)


# Token kinds in order: an optional sign and currency before the figures, a currency after.
_LAYOUT = re.compile(r"S?C?S?NC?")


def _refuse(text: str, reason: str) -> InvalidInput:
    return InvalidInput(f'Clerk could not read "{text}" as an amount: {reason}', usage=AMOUNT_USAGE)


def parse_amount(
    text: str,
    default_currency: str = "USD",
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
) -> Money:
    """Read one typed amount, or raise ``InvalidInput`` quoting the text and the reason."""
    home = normalize_currency(default_currency)
    shown = " ".join(text.split())
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if not shown:
        raise InvalidInput("No amount was given. " + AMOUNT_USAGE, usage=AMOUNT_USAGE)

    kinds: list[str] = []
    numbers: list[tuple[str, bool]] = []
    written_currencies: list[tuple[str, str]] = []  # (token kind, text), resolved below
    negative = False
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        value = m.group(0)
        if kind == "k":  # lastgroup is the last group that matched: a number with its k
            kind = "num"
        if kind == "space":
            continue
        if kind == "other":
            if value.isdigit():
                raise _refuse(shown, f'write the figures with the digits 0-9 (found "{value}").')
            raise _refuse(shown, f'it contains "{value}", which is not part of an amount.')
        if kind in ("word", "dollar", "sym"):
            written_currencies.append((kind, value))
            kinds.append("C")
        elif kind == "sign":
            negative = value != "+"
            kinds.append("S")
        else:
            numbers.append((m.group("num"), m.group("k") is not None))
            kinds.append("N")

    if not numbers:
        raise _refuse(shown, "it has no figures in it.")
    currencies = [_currency_of(shown, kind, value, home) for kind, value in written_currencies]
    if len(numbers) > 1:
        found = ", ".join(n + ("k" if k else "") for n, k in numbers)
        hint = ""
        if "NN" in "".join(kinds) and all(n.isdigit() and len(n) == 3 for n, _ in numbers[1:]):
            hint = " Clerk does not read spaces as thousands separators: write 12500 or 12,500."
        raise _refuse(shown, f"it contains {len(numbers)} numbers ({found}); give one.{hint}")
    if len(set(currencies)) > 1:
        raise _refuse(
            shown, f"it names two currencies ({' and '.join(dict.fromkeys(currencies))})."
        )
    if kinds.count("S") > 1 or not _LAYOUT.fullmatch("".join(kinds)):
        raise _refuse(shown, "the sign, currency and figures are not in an order Clerk reads.")

    number, thousands = numbers[0]
    cents = _read_number(shown, number, thousands)
    currency = currencies[0] if currencies else home
    if cents > MAX_CENTS:
        raise _refuse(
            shown,
            f"that is {Money(cents, currency).format(home)}, more than the largest amount "
            f"Clerk accepts ({Money(MAX_CENTS, currency).format(home)}). Check for extra digits.",
        )
    money = Money(-cents if negative else cents, currency)
    if money.cents == 0 and not allow_zero:
        raise InvalidInput(
            f'Clerk read "{shown}" as {money.format(home)}; the amount must be more than zero.',
            usage=AMOUNT_USAGE,
        )
    if money.cents < 0 and not allow_negative:
        raise InvalidInput(
            f'Clerk read "{shown}" as {money.format(home)}, a negative amount; '
            "it must be more than zero.",
            usage=AMOUNT_USAGE,
        )
    return money


def _currency_of(shown: str, kind: str, value: str, home: str) -> str:
    if kind == "dollar":
        return PREFIXED_DOLLARS[value.upper()]
    if kind == "sym":
        return dollar_sign_currency(home) if value == "$" else SYMBOLS[value]
    return _word_currency(shown, value)


def _word_currency(shown: str, word: str) -> str:
    lower = word.lower()
    if lower in _SCALE_WORDS:
        raise _refuse(
            shown,
            f'"{word}" is not read as a multiplier (M can mean thousands or millions); '
            "write the full figure, e.g. 1500000, or use k for thousands.",
        )
    if len(word) == 3 and word.isascii():
        try:
            return normalize_currency(word)
        except InvalidInput as exc:
            raise _refuse(shown, exc.message) from None
    raise _refuse(shown, f'"{word}" is neither a currency code nor part of a figure.')


def _read_number(shown: str, number: str, thousands: bool) -> int:
    """Cents from a run of digits, commas and points, refusing every ambiguous layout."""
    if number.endswith(".") and number[-2:-1].isdigit() and not thousands:
        number = number[:-1]  # a full stop ending the sentence: "$500." or "12,500.00."
    if number.count(".") > 1:
        head, *rest = number.split(".")
        if "," not in number and all(len(g) == 3 and g.isdigit() for g in rest):
            raise _refuse(
                shown,
                f'"{number}" looks like points used as thousands separators; Clerk reads a '
                f"point as the decimal mark. Write {head}{''.join(rest)} or "
                f"{head},{','.join(rest)}.",
            )
        raise _refuse(shown, f'"{number}" has more than one decimal point.')
    whole, _, frac = number.partition(".")
    if "," in frac:
        raise _refuse(
            shown,
            f'"{number}" mixes a point and a comma the European way; Clerk uses a comma for '
            "thousands and a point for decimals (e.g. 1,234.56).",
        )
    if "." in number and not frac:
        raise _refuse(shown, f'"{number}" has a decimal point with no figures after it.')
    if thousands and len(frac) > 3:
        raise _refuse(shown, f'"{number}k" is more precise than a whole cent.')
    if (
        not thousands
        and len(frac) == 3
        and "," not in whole
        and 1 <= len(whole) <= 3
        and whole.strip("0")  # 0.125 cannot be a thousands group: it is just too precise
    ):
        raise _refuse(
            shown,
            f'"{number}" could be {whole},{frac} (a point as thousands separator) or '
            f"{whole}.{frac} with three decimals. Write {whole}{frac}, or use at most "
            "two decimals.",
        )
    if not thousands and len(frac) > 2:
        raise _refuse(
            shown, f'"{number}" has more than two decimals; Clerk keeps amounts to the cent.'
        )
    digits = _check_grouping(shown, number, whole)
    if len(digits.lstrip("0")) > 16:
        raise _refuse(shown, "that is more than the largest amount Clerk accepts.")
    units = int(digits or "0")
    if thousands:
        return units * 100_000 + int(frac or "0") * 10 ** (5 - len(frac))
    return units * 100 + int(frac.ljust(2, "0") or "0")


def _check_grouping(shown: str, number: str, whole: str) -> str:
    """The digits of ``whole`` once its commas are proven to be thousands separators."""
    if "," not in whole:
        return whole
    groups = whole.split(",")
    if len(groups) == 2 and "." not in number and 1 <= len(groups[1]) <= 2 and groups[0]:
        raise _refuse(
            shown,
            f'"{number}" looks like a decimal comma; Clerk reads a comma as a thousands '
            f"separator. Write {groups[0]}.{groups[1]} for the decimal, or the full figure.",
        )
    head, rest = groups[0], groups[1:]
    if not (1 <= len(head) <= 3 and head.isdigit()) or any(len(g) != 3 for g in rest):
        raise _refuse(
            shown,
            f'the commas in "{number}" are not in groups of three digits; write the figure '
            "without commas, or with a comma every three digits (1,234,567).",
        )
    return "".join(groups)
