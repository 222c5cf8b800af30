"""Reading the words of ``/invoice``, ``/payment`` and ``/payment plan`` (the grammar in the
README's command list).

Only the shape of the command is read here: which words are the amount, which the dates,
which the options. Amounts go to ``bot.money.parse_amount`` and dates to the date engine
afterwards, so each refusal can quote exactly the words it could not read.

    /invoice add CLIENT[ MATTER] NUMBER AMOUNT [issued DATE] [due DATE | terms N days]
    /invoice dispute NUMBER REASON [owner @user] [review DATE]
    /payment add CLIENT AMOUNT [invoice NUMBER] [on DATE] [trust]
    /payment plan CLIENT AMOUNT every (week|month) from DATE [x N]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import InvalidInput
from bot.text import user_id

INVOICE_USAGE = "/invoice add CLIENT[ MATTER] NUMBER AMOUNT [issued DATE] [due DATE | terms N days]"
DISPUTE_USAGE = "/invoice dispute NUMBER REASON [owner @user] [review DATE]"
WRITE_OFF_USAGE = "/invoice write-off NUMBER REASON"
PAYMENT_USAGE = "/payment add CLIENT AMOUNT [invoice NUMBER] [on DATE] [trust]"
PLAN_USAGE = "/payment plan CLIENT AMOUNT every (week|month) from DATE [x N]"

_LEADING_FILLER = re.compile(r"^(?:on|by|at|the)\s+", re.IGNORECASE)
_TERMS = re.compile(r"^(?:net\s+)?(\d{1,4})(?:\s+(?:calendar\s+)?days?)?$", re.IGNORECASE)
_COUNT = re.compile(r"^(?:x|×)\s*(\d{1,4})$|^(\d{1,4})\s*(?:x|×|times|installments?)$", re.I)
_EVERY = {
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "month": "month",
    "months": "month",
    "monthly": "month",
}


def _segments(
    words: list[str], keywords: set[str], flags: set[str] = frozenset(), *, usage: str
) -> tuple[list[str], dict[str, str]]:
    """Split ``words`` into the leading words and ``{keyword: its text}``; flags take none."""
    head: list[str] = []
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for word in words:
        key = word.lower()
        if key in keywords or key in flags:
            if key in found:
                raise InvalidInput(f"`{word}` is given twice.", usage=usage)
            found[key] = []
            current = found[key] if key in keywords else None
            continue
        if current is None:
            if found:
                raise InvalidInput(
                    f"I don't know what `{word}` means here (after the options).", usage=usage
                )
            head.append(word)
        else:
            current.append(word)
    texts = {key: " ".join(value) for key, value in found.items()}
    for key, text in texts.items():
        if key in keywords and not text:
            raise InvalidInput(f"`{key}` needs a value after it.", usage=usage)
    return head, texts


def date_text(text: str) -> str:
    return _LEADING_FILLER.sub("", text.strip())


@dataclass(frozen=True)
class InvoiceWords:
    lead: list[str]  # CLIENT [MATTER] NUMBER AMOUNT... (split once the client is known)
    issued: str | None
    due: str | None
    terms_days: int | None


def invoice_words(text: str) -> InvoiceWords:
    head, opts = _segments(text.split(), {"issued", "due", "terms"}, usage=INVOICE_USAGE)
    if len(head) < 3:
        raise InvalidInput(
            "Give the client, the invoice number and the amount, e.g. "
            "`/invoice add ACME INV-1042 $12,500`.",
            usage=INVOICE_USAGE,
        )
    if "due" in opts and "terms" in opts:
        raise InvalidInput(
            "Give either `due DATE` or `terms N days`, not both.", usage=INVOICE_USAGE
        )
    terms = None
    if "terms" in opts:
        match = _TERMS.match(opts["terms"])
        if not match:
            raise InvalidInput(
                f"`terms {opts['terms']}` is not a number of days, e.g. `terms 30 days`.",
                usage=INVOICE_USAGE,
            )
        terms = int(match.group(1))
    return InvoiceWords(
        lead=head,
        issued=date_text(opts["issued"]) if "issued" in opts else None,
        due=date_text(opts["due"]) if "due" in opts else None,
        terms_days=terms,
    )


@dataclass(frozen=True)
class DisputeWords:
    number: str
    reason: str
    owner: str | None  # as typed: <@U123|lena>, U123 or @lena
    review: str | None  # date text


_DISPUTE_OPTIONS = ("owner", "review")


def dispute_words(text: str) -> DisputeWords:
    """``NUMBER REASON [owner @user] [review DATE]`` (the words after ``dispute``).

    The options are read only at the end, where everything left is options: a reason may
    say "owner" or "review" ("client wants a review of the hours") and keeps them.
    """
    words = text.split()
    if not words:
        raise InvalidInput(
            "Which invoice? e.g. `/invoice dispute INV-1042 hours contested`.", usage=DISPUTE_USAGE
        )
    number, rest = words[0], words[1:]
    for start, word in enumerate(rest):
        if word.lower() in _DISPUTE_OPTIONS:
            options = _trailing_options(rest[start:])
            if options is not None:
                return DisputeWords(
                    number, " ".join(rest[:start]), options.get("owner"), options.get("review")
                )
    return DisputeWords(number, " ".join(rest), None, None)


def _names_person(word: str) -> bool:
    """A mention, a bare Slack id or an @handle: what ``owner`` takes."""
    return user_id(word) is not None or (word.startswith("@") and len(word) > 1)


def _trailing_options(words: list[str]) -> dict[str, str] | None:
    """``{"owner": ..., "review": ...}`` when ``words`` are options and nothing else."""
    found: dict[str, str] = {}
    at = 0
    while at < len(words):
        key = words[at].lower()
        if key not in _DISPUTE_OPTIONS or key in found:
            return None
        if key == "owner":
            if at + 1 >= len(words) or not _names_person(words[at + 1]):
                return None
            found[key] = words[at + 1]
            at += 2
            continue
        end = at + 1
        while end < len(words) and words[end].lower() != "owner":
            end += 1
        if end == at + 1:
            return None
        found[key] = date_text(" ".join(words[at + 1 : end]))
        at = end
    return found


@dataclass(frozen=True)
class PaymentWords:
    client: str
    amount: str
    invoice: str | None
    on: str | None
    trust: bool


def payment_words(text: str) -> PaymentWords:
    head, opts = _segments(
        text.split(), {"invoice", "on", "received"}, {"trust"}, usage=PAYMENT_USAGE
    )
    if "on" in opts and "received" in opts:
        raise InvalidInput("Give the date once: `on DATE`.", usage=PAYMENT_USAGE)
    if len(head) < 2:
        raise InvalidInput(
            "Give the client and the amount, e.g. `/payment add ACME $5,000`.",
            usage=PAYMENT_USAGE,
        )
    invoice = opts.get("invoice")
    if invoice is not None and len(invoice.split()) != 1:
        raise InvalidInput(
            f"`invoice {invoice}`: give one invoice number (a payment without one pays the "
            "oldest invoices first).",
            usage=PAYMENT_USAGE,
        )
    on = opts.get("on") or opts.get("received")
    return PaymentWords(
        client=head[0],
        amount=" ".join(head[1:]),
        invoice=invoice,
        on=date_text(on) if on else None,
        trust="trust" in opts,
    )


@dataclass(frozen=True)
class PlanWords:
    client: str
    amount: str
    every: str
    start: str
    count: int | None


def plan_words(text: str) -> PlanWords:
    words = text.split()
    count = None
    # "x 6" / "x6" / "6 times" at the end
    for size in (2, 1):
        tail = " ".join(words[-size:]) if len(words) >= size else ""
        match = _COUNT.match(tail) if tail else None
        if match:
            count = int(match.group(1) or match.group(2))
            words = words[:-size]
            break
    head, opts = _segments(words, {"every", "from", "starting"}, usage=PLAN_USAGE)
    start = opts.get("from") or opts.get("starting")
    if len(head) < 2 or "every" not in opts or not start:
        raise InvalidInput(
            "A plan needs the client, the installment, how often and the first date, e.g. "
            "`/payment plan ACME $1,000 every month from Dec 1 x 6`.",
            usage=PLAN_USAGE,
        )
    every = _EVERY.get(opts["every"].lower())
    if every is None:
        raise InvalidInput(
            f"`every {opts['every']}`: a plan runs every week or every month.", usage=PLAN_USAGE
        )
    if count is not None and count < 1:
        raise InvalidInput("A plan needs at least one installment.", usage=PLAN_USAGE)
    return PlanWords(
        client=head[0], amount=" ".join(head[1:]), every=every, start=date_text(start), count=count
    )
