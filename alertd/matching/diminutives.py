"""Russian given names and the diminutives people go by (Aleksandr "Sasha").

The nickname table (data/nicknames.tsv) is English: it knows Alexander "Alex" and
"Sandy", not "Sasha". A listed alias or a traveller's name written as a diminutive then
met nothing of the full name. These pairs are written by hand from common knowledge of
the names (no data set copied), each full name in the spellings passports and lists use
(ICAO and BGN/PCGN romanisations), and are compared as nicknames are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

# Full name spellings -> diminutives (one per line: every spelling of the name meets
# every diminutive).
RUSSIAN: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = (
    (("aleksandr", "alexander", "alexandr", "aleksander"), ("sasha", "shura", "sanya")),
    (("aleksandra", "alexandra"), ("sasha", "shura")),
    (("aleksey", "alexey", "aleksei", "alexei", "aleksej"), ("alyosha", "alesha", "lesha")),
    (("anatoly", "anatoliy", "anatolii"), ("tolya",)),
    (("andrey", "andrei", "andrej"), ("andryusha",)),
    (("anastasiya", "anastasia"), ("nastya",)),
    (("boris",), ("borya",)),
    (("dmitry", "dmitriy", "dmitrii", "dmitri"), ("dima", "mitya")),
    (("yekaterina", "ekaterina", "jekaterina"), ("katya", "katia")),
    (("yelena", "elena", "jelena"), ("lena",)),
    (("yevgeny", "yevgeniy", "evgeny", "evgeniy", "evgenii"), ("zhenya",)),
    (("grigory", "grigoriy", "grigorii"), ("grisha",)),
    (("ivan",), ("vanya",)),
    (("irina",), ("ira",)),
    (("konstantin",), ("kostya",)),
    (("lyudmila", "ludmila", "liudmila"), ("lyuda", "luda", "mila")),
    (("mariya", "maria"), ("masha",)),
    (("mikhail", "mihail"), ("misha",)),
    (("natalya", "natalia", "natalija"), ("natasha",)),
    (("nikolay", "nikolai", "nikolaj"), ("kolya",)),
    (("olga",), ("olya",)),
    (("pavel",), ("pasha",)),
    (("pyotr", "petr"), ("petya",)),
    (("sergey", "sergei", "sergej", "sergiy"), ("seryozha", "serezha")),
    (("svetlana",), ("sveta",)),
    (("tatyana", "tatiana", "tatjana"), ("tanya",)),
    (("vasily", "vasiliy", "vasilii"), ("vasya",)),
    (("viktor", "victor"), ("vitya",)),
    (("vladimir",), ("volodya", "vova")),
    (("vyacheslav",), ("slava",)),
    (("yury", "yuriy", "yurii", "yuri"), ("yura",)),
)


def russian_pairs() -> Iterator[tuple[str, str]]:
    """(full name, diminutive) for every spelling of every name above."""
    for spellings, diminutives in RUSSIAN:
        for name in spellings:
            for diminutive in diminutives:
                yield name, diminutive
