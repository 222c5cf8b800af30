"""Numbers as words ("twenty-one", "veintiún", "είκοσι ένα", "二十一"), for counts and days.

"in two weeks", "dentro de dos semanas", "σε δύο εβδομάδες", "两周后": periods are often spelled
out. Only what a date phrase needs (1 to 99) is known; anything else is not a number here.
"""

from __future__ import annotations


def _each(value: int, *words: str) -> dict[str, int]:
    return {w: value for w in words}


def chinese_number(text: str) -> int:
    """'三' -> 3, '十二' -> 12, '二十一' -> 21, '12' -> 12; 99 (never a day or month) if unknown."""
    if text.isdigit():
        return int(text)
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4}
    digits.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(text, 99)


def english_numbers() -> dict[str, int]:
    ones = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    ones += "fifteen sixteen seventeen eighteen nineteen"
    tens = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    words = {w: i + 1 for i, w in enumerate(ones.split())}
    for t, ten in enumerate(tens, start=2):
        words[ten] = t * 10
        for u in range(1, 10):
            unit = ones.split()[u - 1]
            words[f"{ten}-{unit}"] = words[f"{ten} {unit}"] = t * 10 + u
    words.update({"a": 1, "an": 1})
    return words


def spanish_numbers() -> dict[str, int]:
    first = [
        "uno",
        "dos",
        "tres",
        "cuatro",
        "cinco",
        "seis",
        "siete",
        "ocho",
        "nueve",
        "diez",
        "once",
        "doce",
        "trece",
        "catorce",
        "quince",
        "dieciséis",
        "diecisiete",
        "dieciocho",
        "diecinueve",
        "veinte",
        "veintiuno",
        "veintidós",
        "veintitrés",
        "veinticuatro",
        "veinticinco",
        "veintiséis",
        "veintisiete",
        "veintiocho",
        "veintinueve",
    ]
    words = {w: i + 1 for i, w in enumerate(first)}
    words.update({"un": 1, "una": 1, "veintiún": 21, "veintiuna": 21})
    tens = ["treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa"]
    for t, ten in enumerate(tens, start=3):
        words[ten] = t * 10
        for u in range(1, 10):
            words[f"{ten} y {first[u - 1]}"] = t * 10 + u
    return words


def greek_numbers() -> dict[str, int]:
    words: dict[str, int] = {}
    spelled = [
        ("ένα μία μια έναν", 1),
        ("δύο δυο", 2),
        ("τρεις τρία", 3),
        ("τέσσερις τέσσερα", 4),
        ("πέντε", 5),
        ("έξι", 6),
        ("επτά εφτά", 7),
        ("οκτώ οχτώ", 8),
        ("εννέα εννιά", 9),
        ("δέκα", 10),
        ("έντεκα", 11),
        ("δώδεκα", 12),
        ("δεκατρείς δεκατρία", 13),
        ("δεκατέσσερις δεκατέσσερα", 14),
        ("δεκαπέντε", 15),
        ("δεκαέξι δεκάξι", 16),
        ("δεκαεπτά δεκαεφτά", 17),
        ("δεκαοκτώ δεκαοχτώ", 18),
        ("δεκαεννέα δεκαεννιά", 19),
    ]
    for forms, value in spelled:
        words.update(_each(value, *forms.split()))
    units = {k: v for k, v in words.items() if v < 10}
    for ten, value in (("είκοσι", 20), ("τριάντα", 30), ("σαράντα", 40), ("πενήντα", 50)):
        words[ten] = value
        for unit, u in units.items():
            words[f"{ten} {unit}"] = value + u
    words.update({"εξήντα": 60, "ενενήντα": 90})
    return words
