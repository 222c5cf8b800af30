"""The currencies Clerk keeps, and how people write them.

Clerk stores money as integer cents, so it only accepts ISO 4217 currencies whose minor unit
is two digits. Currencies with no minor unit (yen, won) or three (Kuwaiti dinar) are known
here only so the refusal can say why, instead of storing an amount off by 100 or 10.
"""

from __future__ import annotations

from bot.errors import InvalidInput

# ISO 4217 codes with a two-digit minor unit, with the name shown in help and pickers.
CURRENCY_NAMES: dict[str, str] = {
    "AED": "UAE dirham",
    "ARS": "Argentine peso",
    "AUD": "Australian dollar",
    "BGN": "Bulgarian lev",
    "BRL": "Brazilian real",
    "CAD": "Canadian dollar",
    "CHF": "Swiss franc",
    "CNY": "Chinese yuan",
    "COP": "Colombian peso",
    "CZK": "Czech koruna",
    "DKK": "Danish krone",
    "EGP": "Egyptian pound",
    "EUR": "euro",
    "GBP": "pound sterling",
    "HKD": "Hong Kong dollar",
    "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah",
    "ILS": "Israeli shekel",
    "INR": "Indian rupee",
    "KES": "Kenyan shilling",
    "MAD": "Moroccan dirham",
    "MXN": "Mexican peso",
    "MYR": "Malaysian ringgit",
    "NGN": "Nigerian naira",
    "NOK": "Norwegian krone",
    "NZD": "New Zealand dollar",
    "PEN": "Peruvian sol",
    "PHP": "Philippine peso",
    "PKR": "Pakistani rupee",
    "PLN": "Polish zloty",
    "QAR": "Qatari riyal",
    "RON": "Romanian leu",
    "SAR": "Saudi riyal",
    "SEK": "Swedish krona",
    "SGD": "Singapore dollar",
    "THB": "Thai baht",
    "TRY": "Turkish lira",
    "TWD": "New Taiwan dollar",
    "UAH": "Ukrainian hryvnia",
    "USD": "US dollar",
    "ZAR": "South African rand",
}
CURRENCIES: frozenset[str] = frozenset(CURRENCY_NAMES)

# Real ISO codes Clerk refuses, with the number of digits of their minor unit.
OTHER_MINOR_UNITS: dict[str, int] = {
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "ISK": 0,
    "VND": 0,
    "UGX": 0,
    "PYG": 0,
    "XAF": 0,
    "XOF": 0,
    "RWF": 0,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
    "LYD": 3,
    "IQD": 3,
}

# "$" alone names the firm's currency when it is one of these, and US dollars otherwise.
DOLLAR_CURRENCIES = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"})
SYMBOLS: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP"}
HOME_SYMBOLS: dict[str, str] = {code: "$" for code in DOLLAR_CURRENCIES} | {"EUR": "€", "GBP": "£"}
PREFIXED_DOLLARS: dict[str, str] = {
    "US$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
    "MX$": "MXN",
}


def normalize_currency(code: str) -> str:
    """Return the canonical upper-case code, or refuse one Clerk cannot keep in cents."""
    upper = code.strip().upper()
    if upper in CURRENCIES:
        return upper
    if upper in OTHER_MINOR_UNITS:
        unit = "no smaller unit" if OTHER_MINOR_UNITS[upper] == 0 else "three decimal places"
        raise InvalidInput(
            f"Clerk keeps money in cents (two decimals), and {upper} has {unit}, "
            f"so amounts in {upper} are not supported."
        )
    raise InvalidInput(
        f'"{code.strip()[:20]}" is not a currency Clerk knows. '
        "Use an ISO code such as USD, EUR, GBP or CAD."
    )


def dollar_sign_currency(home: str) -> str:
    """What a bare ``$`` means for a firm whose currency is ``home``."""
    return home if home in DOLLAR_CURRENCIES else "USD"
