"""Korean names (Hangul) to the spellings passports and lists use.

Korean passports spell the family name by custom, not by any romanisation system
(김 Kim, 이 Lee/Yi/Rhee, 박 Park/Pak), so family names come from a table with their usual
variants. Given names are romanised syllable by syllable with the Revised Romanisation
(no sound-change rules across syllables, as passports do), plus a McCune-Reischauer-like
variant (eo→o, eu→u) because North Korean names are listed that way ("Kim Jong Un").
"""

from __future__ import annotations

import functools

_SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"), "이": ("lee", "yi", "rhee", "ri"), "박": ("park", "pak", "bak"),
    "최": ("choi", "choe"), "정": ("jung", "jeong", "chung", "jong", "chong"),
    "강": ("kang", "gang"),
    "조": ("cho", "jo"), "윤": ("yoon", "yun"), "장": ("jang", "chang"), "임": ("lim", "im", "rim"),
    "한": ("han",), "오": ("oh", "o"), "서": ("seo", "suh"), "신": ("shin", "sin"),
    "권": ("kwon", "gwon"), "황": ("hwang",), "안": ("ahn", "an"), "송": ("song",),
    "류": ("ryu", "yoo", "yu"), "유": ("yoo", "yu"), "홍": ("hong",),
    "전": ("jeon", "chun", "jun", "jon", "chon"),
    "고": ("ko", "go"), "문": ("moon", "mun"), "양": ("yang",), "손": ("son", "sohn"),
    "배": ("bae", "pae"), "백": ("baek", "paek"), "허": ("heo", "hur", "huh"), "노": ("roh", "no"),
    "남": ("nam",), "심": ("shim", "sim"), "하": ("ha",), "곽": ("kwak",), "성": ("sung", "seong"),
    "차": ("cha",), "주": ("joo", "ju"), "우": ("woo", "u"), "구": ("koo", "gu"), "민": ("min",),
    "나": ("na", "ra"), "진": ("jin", "chin"), "지": ("ji", "chi"), "엄": ("eom", "um"),
    "채": ("chae",), "원": ("won",), "천": ("cheon", "chun"), "방": ("bang",), "공": ("kong",),
    "현": ("hyun", "hyeon", "hyon"), "함": ("ham",), "변": ("byun",), "염": ("yeom",),
    "여": ("yeo",),
    "추": ("choo", "chu"), "도": ("do",), "소": ("so",), "석": ("seok",), "선": ("sun",),
    "리": ("ri", "lee"), "림": ("rim", "lim"), "로": ("ro", "roh"), "계": ("kye", "gye"),
    "태": ("tae", "thae"),
}  # fmt: skip
# Shorter spellings are not taken as another spelling of a family name in Latin letters
# ("O" for 오 Oh would make every initial O a Korean family name).
MIN_SURNAME_SPELLING = 2


def surname_spellings() -> list[tuple[str, ...]]:
    """The Latin spellings of each Korean family name that has several (Ri, Lee, Yi and
    Rhee are one name, 이/리, as North and South write it): for comparing names written
    in Latin letters, as the Wikidata pairs' spellings of one native word are."""
    groups: list[tuple[str, ...]] = []
    for spellings in _all_surnames():
        kept = tuple(s for s in spellings if len(s) >= MIN_SURNAME_SPELLING)
        if len(kept) > 1:
            groups.append(kept)
    return groups


@functools.cache
def surname_latin_spellings() -> frozenset[str]:
    """Every Latin spelling of a Korean family name (korean_latin.py: what tells a Korean
    name written in Latin letters)."""
    return frozenset(s for spellings in _all_surnames() for s in spellings)


def _all_surnames() -> tuple[tuple[str, ...], ...]:
    return (*_SURNAMES.values(), *_COMPOUND_SURNAMES.values())


_COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "남궁": ("namgung",), "황보": ("hwangbo",), "제갈": ("jegal",), "선우": ("sunwoo", "seonu"),
    "독고": ("dokgo",), "사공": ("sagong",), "서문": ("seomun",),
}  # fmt: skip

_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")  # fmt: skip
_MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
            "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip
_FIRST_SYLLABLE, _LAST_SYLLABLE = 0xAC00, 0xD7A3


def is_hangul_syllable(ch: str) -> bool:
    return _FIRST_SYLLABLE <= ord(ch) <= _LAST_SYLLABLE


def romanise_syllables(text: str) -> str:
    """Revised Romanisation, syllable by syllable ("initial" l as r is kept: 류 ryu)."""
    out: list[str] = []
    for ch in text:
        if not is_hangul_syllable(ch):
            continue
        index = ord(ch) - _FIRST_SYLLABLE
        out.append(_INITIALS[index // 588] + _MEDIALS[(index % 588) // 28] + _FINALS[index % 28])
    return "".join(out)


def _north_variant(text: str) -> str:
    return text.replace("eo", "o").replace("eu", "u")


def romanise_korean_name(word: str) -> tuple[tuple[str, ...], ...]:
    """Name slots (each a tuple of alternative spellings) of a Hangul name written as one
    word: family name first, then the given name (2-4 syllables in all)."""
    syllables = [ch for ch in word if is_hangul_syllable(ch)]
    if not syllables:
        return ()
    if len(syllables) < 2 or len(syllables) > 4:
        return (with_north_variant(romanise_syllables(word)),)
    family, given = _split_family(syllables)
    return (family, with_north_variant(romanise_syllables(given)))


def with_north_variant(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((text, _north_variant(text))))


def _split_family(syllables: list[str]) -> tuple[tuple[str, ...], str]:
    two = "".join(syllables[:2])
    if len(syllables) >= 3 and two in _COMPOUND_SURNAMES:
        return _COMPOUND_SURNAMES[two], "".join(syllables[2:])
    first = syllables[0]
    family = _SURNAMES.get(first) or (romanise_syllables(first),)
    return family, "".join(syllables[1:])
