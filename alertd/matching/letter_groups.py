"""Respelling a word by letter groups: one writing convention's groups read in another's.

German transliteration's "tsch" is English "ch", old Indonesian "tj" is today's "c":
each convention module (german_cyrillic.py, indonesian_spelling.py) holds its table of
groups, longest first, and this module reads a word with it from left to right, each
letter once (so "dj" read as "j" is not read again as "y").
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

# Letter groups and what each may be written as, longest first.
GroupTable = Sequence[tuple[str, tuple[str, ...]]]
# What a letter that starts no group is written as, given the word and its position.
LetterRule = Callable[[str, int], tuple[str, ...]]


def as_written(word: str, i: int) -> tuple[str, ...]:
    return (word[i],)


def respellings(word: str, groups: GroupTable, letter: LetterRule = as_written) -> list[str]:
    """Every spelling of ``word`` with each group (or other letter) written one of its
    ways, the first ways first."""
    return ["".join(parts) for parts in itertools.product(*_choices(word, groups, letter))]


def respelling(word: str, groups: GroupTable, letter: LetterRule = as_written) -> str:
    """``word`` with each group (or other letter) written its first way."""
    return "".join(written[0] for written in _choices(word, groups, letter))


def _choices(word: str, groups: GroupTable, letter: LetterRule) -> list[tuple[str, ...]]:
    """The ways of writing each group or other letter of ``word``, left to right."""
    choices: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for group, written in groups:
            if word.startswith(group, i):
                choices.append(written)
                i += len(group)
                break
        else:
            choices.append(letter(word, i))
            i += 1
    return choices
