"""Money arithmetic, formatting and the amount reader: what it accepts and what it refuses."""

from __future__ import annotations

import pytest

from bot.errors import ClerkError, Conflict, InvalidInput
from bot.money.amounts import MAX_CENTS, CurrencyMismatch, Money, parse_amount
from bot.money.currencies import normalize_currency


@pytest.mark.parametrize(
    ("text", "cents", "currency"),
    [
        ("$12,500", 1_250_000, "USD"),
        ("12500", 1_250_000, "USD"),
        ("12,500.50", 1_250_050, "USD"),
        ("12,500.5", 1_250_050, "USD"),
        ("USD 12500", 1_250_000, "USD"),
        ("usd12500", 1_250_000, "USD"),
        ("EUR 900", 90_000, "EUR"),
        ("€900", 90_000, "EUR"),
        ("900 €", 90_000, "EUR"),
        ("£75.25", 7_525, "GBP"),
        ("12500 usd", 1_250_000, "USD"),
        ("12500USD", 1_250_000, "USD"),
        ("$12,500 USD", 1_250_000, "USD"),
        ("US$ 5", 500, "USD"),
        ("C$5", 500, "CAD"),
        ("CA$1,000", 100_000, "CAD"),
        ("$1.5k", 150_000, "USD"),
        ("2K", 200_000, "USD"),
        ("12.345k", 1_234_500, "USD"),
        ("1,500k", 150_000_000, "USD"),
        ("  $ 12,500.00  ", 1_250_000, "USD"),
        ("$500.", 50_000, "USD"),
        ("USD 12,500.50.", 1_250_050, "USD"),
        (".5", 50, "USD"),
        ("0.05", 5, "USD"),
        ("+$10", 1_000, "USD"),
        ("1,000,000.99", 100_000_099, "USD"),
        ("12500\u00a0EUR", 1_250_000, "EUR"),
        ("100000000000", MAX_CENTS, "USD"),
    ],
)
def test_parse_accepts(text: str, cents: int, currency: str) -> None:
    assert parse_amount(text) == Money(cents, currency)


def test_dollar_sign_means_the_firms_dollar_currency() -> None:
    assert parse_amount("$500", "CAD") == Money(50_000, "CAD")
    assert parse_amount("$500", "EUR") == Money(50_000, "USD")
    assert parse_amount("500", "EUR") == Money(50_000, "EUR")
    assert parse_amount("US$500", "CAD") == Money(50_000, "USD")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12.500", "could be 12,500"),
        ("1.500", "could be 1,500"),
        ("12,50", "decimal comma"),
        ("12,5", "decimal comma"),
        ("1.234.567", "thousands separators"),
        ("1.234,56", "European"),
        ("12.505", "could be 12,505"),
        ("12.5055", "more than two decimals"),
        ("0.125", "more than two decimals"),
        ("1250.500", "more than two decimals"),
        ("12,500.505", "more than two decimals"),
        ("1.23456k", "more precise than a whole cent"),
        ("1,23,456", "groups of three"),
        ("12,5000", "groups of three"),
        ("500,", "groups of three"),
        ("twelve thousand", "no figures"),
        ("abc", "no figures"),
        ("$", "no figures"),
        ("12abc", '"abc" is not a currency'),
        ("1e5", '"e" is neither'),
        ("12 500", "spaces as thousands separators"),
        ("$100 $200", "2 numbers (100, 200)"),
        ("100-200", "2 numbers"),
        ("12500 xyz", '"xyz" is not a currency'),
        ("500 JPY", "JPY has no smaller unit"),
        ("500 KWD", "three decimal places"),
        ("$12500 EUR", "two currencies (USD and EUR)"),
        ("1.5m", "multiplier"),
        ("2 million", "multiplier"),
        ("500-", "order"),
        ("--500", "order"),
        ("(500)", 'contains "("'),
        ("12%", 'contains "%"'),
        ("١٢٣", "digits 0-9"),
        ("1.2.3", "more than one decimal point"),
        ("12..5", "more than one decimal point"),
        ("100000000000.01", "more than the largest amount"),
        ("9" * 40, "more than the largest amount"),
        ("9" * 5000, "more than the largest amount"),
    ],
)
def test_parse_refuses_with_the_reading(text: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount(text)
    assert fragment in err.value.message
    assert err.value.usage  # the handler can show how amounts are written


def test_refusal_quotes_what_was_typed() -> None:
    with pytest.raises(InvalidInput, match=r'Clerk could not read "12\.500" as an amount'):
        parse_amount("12.500")


def test_negative_refused_unless_allowed_and_shows_reading() -> None:
    with pytest.raises(InvalidInput, match=r'"-\$25" as -\$25\.00, a negative amount'):
        parse_amount("-$25")
    assert parse_amount("-$25", allow_negative=True) == Money(-2_500, "USD")
    assert parse_amount("$-25", allow_negative=True) == Money(-2_500, "USD")
    assert parse_amount("-EUR 25.00", allow_negative=True) == Money(-2_500, "EUR")
    assert parse_amount("\u221225", allow_negative=True) == Money(-2_500, "USD")


def test_zero_refused_unless_allowed() -> None:
    with pytest.raises(InvalidInput, match=r"as \$0\.00; the amount must be more than zero"):
        parse_amount("0")
    with pytest.raises(InvalidInput):
        parse_amount("$0.00")
    assert parse_amount("0.00", allow_zero=True) == Money(0, "USD")


def test_empty_text() -> None:
    for text in ("", "   "):
        with pytest.raises(InvalidInput, match="No amount was given"):
            parse_amount(text)


def test_long_text_is_shortened_in_message() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_amount("the client promised to pay 500 next week when the settlement arrives")
    assert len(err.value.message) < 200


def test_unknown_default_currency_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a currency Clerk knows"):
        parse_amount("500", "XYZ")


def test_normalize_currency() -> None:
    assert normalize_currency(" eur ") == "EUR"
    with pytest.raises(InvalidInput, match="JPY"):
        normalize_currency("jpy")
    with pytest.raises(InvalidInput, match='"XXX" is not a currency'):
        normalize_currency("XXX")


@pytest.mark.parametrize(
    ("money", "home", "text"),
    [
        (Money(1_250_000, "USD"), "USD", "$12,500.00"),
        (Money(90_000, "EUR"), "USD", "EUR 900.00"),
        (Money(-2_500, "USD"), "USD", "-$25.00"),
        (Money(-2_500, "EUR"), "USD", "-EUR 25.00"),
        (Money(5, "USD"), "USD", "$0.05"),
        (Money(0, "USD"), "USD", "$0.00"),
        (Money(90_000, "EUR"), "EUR", "€900.00"),
        (Money(90_000, "CAD"), "CAD", "$900.00"),
        (Money(90_000, "USD"), "CAD", "USD 900.00"),
        (Money(123_456_789_012, "GBP"), "GBP", "£1,234,567,890.12"),
    ],
)
def test_format(money: Money, home: str, text: str) -> None:
    assert money.format(home) == text


def test_str_is_format() -> None:
    assert str(Money(1_250_000, "USD")) == "$12,500.00"


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(1_250_000, "USD"), "12500.00"),
        (Money(-2_500, "USD"), "-25.00"),
        (Money(5, "EUR"), "0.05"),
        (Money(-5, "EUR"), "-0.05"),
        (Money(0, "EUR"), "0.00"),
    ],
)
def test_decimal_string(money: Money, text: str) -> None:
    assert money.decimal_string() == text
    assert Money.from_decimal_string(text, money.currency) == money


def test_from_decimal_string_accepts_short_forms_and_refuses_loose_ones() -> None:
    assert Money.from_decimal_string("12500", "USD") == Money(1_250_000, "USD")
    assert Money.from_decimal_string(" 12500.5 ", "USD") == Money(1_250_050, "USD")
    for bad in ("12,500.00", "$12500", "12500.001", "", "1e5", "12500.", "--1", "1" * 30):
        with pytest.raises(InvalidInput):
            Money.from_decimal_string(bad, "USD")


def test_money_validates_construction() -> None:
    assert Money(1, "usd").currency == "USD"
    with pytest.raises(TypeError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True, "USD")
    with pytest.raises(InvalidInput):
        Money(1, "JPY")


def test_arithmetic_same_currency() -> None:
    a, b = Money(1_000, "USD"), Money(250, "USD")
    assert a + b == Money(1_250, "USD")
    assert a - b == Money(750, "USD")
    assert b - a == Money(-750, "USD")
    assert -a == Money(-1_000, "USD")
    assert b < a and a >= b and a != b
    assert Money.total([a, b, b], "USD") == Money(1_500, "USD")
    assert Money.total([], "EUR") == Money.zero("EUR")


def test_mixed_currency_refused() -> None:
    usd, eur = Money(1_000, "USD"), Money(1_000, "EUR")
    for op in (lambda: usd + eur, lambda: usd - eur, lambda: usd < eur):
        with pytest.raises(CurrencyMismatch) as err:
            op()
        assert "$10.00 and EUR 10.00" in err.value.message
        assert isinstance(err.value, Conflict) and isinstance(err.value, ClerkError)
    with pytest.raises(CurrencyMismatch):
        Money.total([usd, eur], "USD")
    assert usd != eur  # equality is allowed: they are simply not equal


def test_money_does_not_mix_with_plain_numbers() -> None:
    with pytest.raises(TypeError):
        Money(1, "USD") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        sum([Money(1, "USD")])  # type: ignore[arg-type]


def test_money_is_hashable_and_immutable() -> None:
    m = Money(1, "USD")
    assert {m, Money(1, "usd")} == {m}
    with pytest.raises(AttributeError):
        m.cents = 2  # type: ignore[misc]
