"""Clerk's date words in English, Spanish, Greek and Chinese, as a lawyer types them.

Kept apart from ``languages`` (which folds and merges them) so that adding a word is a one-line
change in a plain table. Every entry is folded when the lexicon is built, so write accents and
capitals naturally. The modifier kinds and units are explained where they are used
(``resolve.resolve_weekday`` and ``grammar.Grammar._shift``).
"""

from __future__ import annotations

from typing import TypeVar

from bot.dates.numbers import english_numbers, greek_numbers, spanish_numbers

_V = TypeVar("_V")

# Modifier kinds for a weekday: see resolve.resolve_weekday for what each one means.
PLAIN, THIS, NEXT, LAST, THIS_WEEK, NEXT_WEEK, LAST_WEEK = (
    "plain",
    "this",
    "next",
    "last",
    "this_week",
    "next_week",
    "last_week",
)
# Units of an offset ("in 3 weeks") or of a counted period ("3 court days before").
DAY, WEEK, MONTH, YEAR, COURT_DAY = "day", "week", "month", "year", "court_day"


def _each(value: _V, *words: str) -> dict[str, _V]:
    return {w: value for w in words}


ENGLISH = dict(
    months={
        **_each(1, "january", "jan"),
        **_each(2, "february", "feb"),
        **_each(3, "march", "mar"),
        **_each(4, "april", "apr"),
        **_each(5, "may"),
        **_each(6, "june", "jun"),
        **_each(7, "july", "jul"),
        **_each(8, "august", "aug"),
        **_each(9, "september", "sept", "sep"),
        **_each(10, "october", "oct"),
        **_each(11, "november", "nov"),
        **_each(12, "december", "dec"),
    },
    weekdays={
        **_each(0, "monday", "mon"),
        **_each(1, "tuesday", "tues", "tue"),
        **_each(2, "wednesday", "weds", "wed"),
        **_each(3, "thursday", "thurs", "thur", "thu"),
        **_each(4, "friday", "fri"),
        **_each(5, "saturday", "sat"),
        **_each(6, "sunday", "sun"),
    },
    days_from_today={
        "today": 0,
        "tomorrow": 1,
        "tmrw": 1,
        "day after tomorrow": 2,
        "yesterday": -1,
        "day before yesterday": -2,
    },
    weekday_before={
        "this": THIS,
        "next": NEXT,
        "coming": NEXT,
        "this coming": NEXT,
        "last": LAST,
        "past": LAST,
        "this past": LAST,
        "previous": LAST,
        "next week": NEXT_WEEK,
        "this week": THIS_WEEK,
        "last week": LAST_WEEK,
    },
    weekday_after={
        "next week": NEXT_WEEK,
        "of next week": NEXT_WEEK,
        "this week": THIS_WEEK,
        "of this week": THIS_WEEK,
        "last week": LAST_WEEK,
        "of last week": LAST_WEEK,
    },
    articles=("the",),
    units={
        **_each(DAY, "day", "days", "calendar day", "calendar days"),
        **_each(WEEK, "week", "weeks", "wk", "wks"),
        **_each(MONTH, "month", "months"),
        **_each(YEAR, "year", "years", "yr", "yrs"),
        **_each(COURT_DAY, "business day", "business days", "court day", "court days"),
        **_each(COURT_DAY, "working day", "working days"),
        **_each(DAY, "calendar-day", "calendar-days"),
        **_each(COURT_DAY, "court-day", "court-days", "business-day", "business-days"),
        **_each(COURT_DAY, "working-day", "working-days"),
    },
    numbers=english_numbers(),
    in_words=("in", "within"),
    from_now_words=("from now", "from today"),
    ago_after=("ago",),
    next_business_day=("next business day", "next court day", "next working day"),
    month_end={
        **_each(0, "end of month", "end of the month", "end of this month", "month end"),
        **_each(0, "month-end", "eom", "the end of the month", "the end of this month"),
        **_each(1, "end of next month", "end of the next month", "the end of next month"),
        **_each(-1, "end of last month", "end of the previous month", "end of previous month"),
    },
    year_end={
        **_each(0, "end of year", "end of the year", "end of this year", "year end", "year-end"),
        **_each(1, "end of next year"),
        **_each(-1, "end of last year"),
    },
    of_month={"of this month": 0, "of next month": 1, "of last month": -1},
    after_words=("after", "following", "from", "subsequent to"),
    before_words=("before", "prior to", "in advance of", "ahead of", "preceding"),
    # "within 21 days of service on Dec 1": the last day of the period, as "21 days after".
    period_leads=("within",),
    within_words=("of",),
    # Words naming the event between the connector and its date: "after entry of judgment on".
    event_links=("on", "of", "dated", "held on", "set for", "scheduled for"),
    mail_words=("mail", "mailing", "mailed"),
    service_by_mail=("service by mail on", "mail service on", "mailing on", "service by mail"),
    service=("service on", "service of process on"),
    by_mail=("by mail", "(by mail)", "served by mail", "(served by mail)", "if served by mail"),
    keywords=("due", "on", "by", "at", "due on", "due by", "no later than", "until"),
    fillers=("the", "of", "on", "at", "st", "nd", "rd", "th"),
)

SPANISH = dict(
    months={
        **_each(1, "enero", "ene"),
        **_each(2, "febrero", "feb"),
        **_each(3, "marzo", "mar"),
        **_each(4, "abril", "abr"),
        **_each(5, "mayo", "may"),
        **_each(6, "junio", "jun"),
        **_each(7, "julio", "jul"),
        **_each(8, "agosto", "ago"),
        **_each(9, "septiembre", "setiembre", "sept", "sep"),
        **_each(10, "octubre", "oct"),
        **_each(11, "noviembre", "nov"),
        **_each(12, "diciembre", "dic"),
    },
    weekdays={
        **_each(0, "lunes", "lun"),
        **_each(1, "martes"),
        **_each(2, "miércoles", "mié", "mier"),
        **_each(3, "jueves", "jue"),
        **_each(4, "viernes", "vie"),
        **_each(5, "sábado", "sáb"),
        **_each(6, "domingo", "dom"),
    },
    days_from_today={
        "hoy": 0,
        "mañana": 1,
        "pasado mañana": 2,
        "ayer": -1,
        "anteayer": -2,
        "antier": -2,
        "antes de ayer": -2,
        "antes de anoche": -2,
    },
    weekday_before={
        "este": THIS,
        "próximo": NEXT,
        "siguiente": NEXT,
        "pasado": LAST,
        "último": LAST,
    },
    weekday_after={
        "próximo": NEXT,
        "que viene": NEXT,
        "pasado": LAST,
        "de la semana que viene": NEXT_WEEK,
        "de la próxima semana": NEXT_WEEK,
        "de la semana próxima": NEXT_WEEK,
        "de esta semana": THIS_WEEK,
        "de la semana pasada": LAST_WEEK,
    },
    articles=("el", "la"),
    units={
        **_each(DAY, "día", "días", "días naturales", "días calendario", "días corridos"),
        **_each(WEEK, "semana", "semanas"),
        **_each(MONTH, "mes", "meses"),
        **_each(YEAR, "año", "años"),
        **_each(COURT_DAY, "día hábil", "días hábiles", "día laborable", "días laborables"),
    },
    numbers=spanish_numbers(),
    in_words=("en", "dentro de", "de aquí a"),
    from_now_words=("a partir de hoy", "desde hoy"),
    ago_before=("hace",),
    ago_after=("atrás",),
    next_business_day=(
        "próximo día hábil",
        "siguiente día hábil",
        "día hábil siguiente",
        "próximo día laborable",
        "siguiente día laborable",
    ),
    month_end={
        **_each(0, "fin de mes", "fin del mes", "final de mes", "final del mes", "fin de este mes"),
        **_each(0, "a fin de mes", "a final de mes", "a fin de este mes", "fin de mes actual"),
        **_each(1, "fin del mes que viene", "fin del próximo mes", "fin del mes siguiente"),
        **_each(1, "a fin del mes que viene", "a fin del próximo mes"),
        **_each(-1, "fin del mes pasado", "a fin del mes pasado"),
    },
    year_end={
        **_each(0, "fin de año", "fin del año", "a fin de año", "fin de este año"),
        **_each(1, "fin del año que viene", "fin del próximo año"),
        **_each(-1, "fin del año pasado"),
    },
    of_month={
        **_each(0, "de este mes", "del mes en curso"),
        **_each(1, "del mes que viene", "del próximo mes", "del mes siguiente"),
        **_each(-1, "del mes pasado"),
    },
    after_words=(
        "después de",
        "después del",
        "a partir de",
        "a partir del",
        "tras",
        "siguientes a",
        "siguientes al",
    ),
    before_words=(
        "antes de",
        "antes del",
        "de antelación a",
        "de antelación al",
        "de anticipación a",
        "de anticipación al",
        "con anterioridad a",
        "con anterioridad al",
    ),
    period_leads=("dentro de", "dentro de los", "con"),
    event_links=("del", "de", "el", "para el"),
    mail_words=("correo",),
    service_by_mail=("la notificación por correo del", "la notificación por correo de"),
    service=("la notificación del", "la notificación de"),
    by_mail=("por correo", "(por correo)", "notificado por correo"),
    keywords=("el", "para", "para el", "antes del", "hasta el", "vence el", "a más tardar el"),
    fillers=("el", "la", "de", "del", "los", "las"),
)

GREEK = dict(
    months={
        **_each(1, "ιανουάριος", "ιανουαρίου", "γενάρης", "γενάρη", "ιαν"),
        **_each(2, "φεβρουάριος", "φεβρουαρίου", "φλεβάρης", "φλεβάρη", "φεβ"),
        **_each(3, "μάρτιος", "μαρτίου", "μάρτης", "μάρτη", "μαρ"),
        **_each(4, "απρίλιος", "απριλίου", "απρίλης", "απρίλη", "απρ"),
        **_each(5, "μάιος", "μαΐου", "μάης", "μάη", "μαι"),
        **_each(6, "ιούνιος", "ιουνίου", "ιούνης", "ιούνη", "ιουν"),
        **_each(7, "ιούλιος", "ιουλίου", "ιούλης", "ιούλη", "ιουλ"),
        **_each(8, "αύγουστος", "αυγούστου", "αυγ"),
        **_each(9, "σεπτέμβριος", "σεπτεμβρίου", "σεπτέμβρης", "σεπτέμβρη", "σεπ"),
        **_each(10, "οκτώβριος", "οκτωβρίου", "οκτώβρης", "οκτώβρη", "οκτ"),
        **_each(11, "νοέμβριος", "νοεμβρίου", "νοέμβρης", "νοέμβρη", "νοε"),
        **_each(12, "δεκέμβριος", "δεκεμβρίου", "δεκέμβρης", "δεκέμβρη", "δεκ"),
    },
    weekdays={
        **_each(0, "δευτέρα", "δευ"),
        **_each(1, "τρίτη", "τρι"),
        **_each(2, "τετάρτη", "τετ"),
        **_each(3, "πέμπτη", "πεμ"),
        **_each(4, "παρασκευή", "παρ"),
        **_each(5, "σάββατο", "σαβ"),
        **_each(6, "κυριακή", "κυρ"),
    },
    days_from_today={
        "σήμερα": 0,
        "αύριο": 1,
        "μεθαύριο": 2,
        "χθες": -1,
        "χτες": -1,
        "προχθές": -2,
        "προχτές": -2,
    },
    weekday_before={
        **_each(THIS, "αυτή", "αυτήν", "αυτό"),
        **_each(NEXT, "επόμενη", "ερχόμενη", "επόμενο", "ερχόμενο"),
        **_each(LAST, "προηγούμενη", "περασμένη", "προηγούμενο", "περασμένο"),
    },
    weekday_after={
        "της επόμενης εβδομάδας": NEXT_WEEK,
        "την επόμενη εβδομάδα": NEXT_WEEK,
        "αυτής της εβδομάδας": THIS_WEEK,
        "της προηγούμενης εβδομάδας": LAST_WEEK,
        "της περασμένης εβδομάδας": LAST_WEEK,
    },
    articles=("την", "τη", "το", "τις"),
    units={
        **_each(DAY, "ημέρα", "ημέρες", "ημερών", "μέρα", "μέρες", "ημερολογιακές ημέρες"),
        **_each(WEEK, "εβδομάδα", "εβδομάδες", "εβδομάδων"),
        **_each(MONTH, "μήνα", "μήνας", "μήνες", "μηνών"),
        **_each(YEAR, "χρόνο", "χρόνια", "έτος", "έτη"),
        **_each(COURT_DAY, "εργάσιμες ημέρες", "εργάσιμες μέρες", "εργάσιμη ημέρα"),
        **_each(COURT_DAY, "εργάσιμη μέρα", "εργάσιμες", "εργάσιμη"),
    },
    numbers=greek_numbers(),
    in_words=("σε", "μέσα σε", "μετά από"),
    from_now_words=("από σήμερα", "από τώρα"),
    ago_before=("πριν από", "πριν"),
    ago_after=("πριν",),
    next_business_day=(
        "επόμενη εργάσιμη",
        "επόμενη εργάσιμη ημέρα",
        "επόμενη εργάσιμη μέρα",
    ),
    month_end={
        **_each(0, "τέλος του μήνα", "στο τέλος του μήνα", "τέλος μήνα"),
        **_each(0, "τέλος του τρέχοντος μήνα"),
        **_each(1, "τέλος του επόμενου μήνα", "στο τέλος του επόμενου μήνα"),
        **_each(-1, "τέλος του προηγούμενου μήνα", "τέλος του περασμένου μήνα"),
    },
    year_end={
        **_each(0, "τέλος του χρόνου", "τέλος του έτους", "στο τέλος του χρόνου"),
        **_each(0, "τέλος της χρονιάς"),
    },
    of_month={
        **_each(0, "του τρέχοντος μήνα", "αυτού του μήνα"),
        **_each(1, "του επόμενου μήνα"),
        **_each(-1, "του προηγούμενου μήνα", "του περασμένου μήνα"),
    },
    after_words=(
        "μετά",
        "μετά από",
        "μετά την",
        "μετά τις",
        "μετά το",
        "μετά από την",
        "από",
    ),
    before_words=("πριν", "πριν από", "πριν την", "πριν τις", "πριν το", "πριν από την"),
    by_mail=("ταχυδρομικώς", "με ταχυδρομείο"),
    period_leads=("εντός", "μέσα σε"),
    event_links=("της", "του", "στις", "την", "τη"),
    mail_words=("ταχυδρομικώς", "ταχυδρομείο", "ταχυδρομική", "ταχυδρομικής"),
    keywords=("στις", "έως", "έως τις", "έως την", "μέχρι", "μέχρι τις", "μέχρι την", "ως τις"),
    fillers=("την", "τη", "το", "τις", "της", "η", "ης"),
)

CHINESE = dict(
    days_from_today={
        **_each(0, "今天", "今日"),
        **_each(1, "明天", "明日"),
        **_each(2, "后天", "後天"),
        **_each(3, "大后天", "大後天"),
        **_each(-1, "昨天", "昨日"),
        **_each(-2, "前天"),
    },
    next_business_day=("下一个工作日", "下个工作日", "下一工作日", "下個工作日", "下一個工作日"),
    month_end={
        **_each(0, "月底", "月末", "本月底", "本月末", "这月底", "本月月底"),
        **_each(0, "这个月底", "這個月底"),
        **_each(1, "下个月底", "下個月底", "下月底", "下月末", "下个月末", "下個月末"),
        **_each(-1, "上个月底", "上個月底", "上月底", "上月末"),
    },
    year_end={
        **_each(0, "年底", "年末", "今年底", "今年年底"),
        **_each(1, "明年底", "明年年底"),
        **_each(-1, "去年底", "去年年底"),
    },
    keywords=("于", "於", "在", "截止", "截至", "截止到", "截止于", "到期"),
)

# Articles of some languages Clerk reads only through dateparser's data. They carry no date
# on their own, so dateparser answering the same without them is no sign of a skipped word
# ("le 3 décembre"). Vague words dateparser also skips ("about", "environ") are not here.
ARTICLES: dict[str, tuple[str, ...]] = {
    "fr": ("le", "la", "l", "er"),
    "de": ("der", "den", "dem", "am"),
    "it": ("il", "l"),
    "pt": ("de", "do", "da", "o"),
}
