"""Which romaniser for which script? Measured on name pairs.

    .venv/bin/python bench/matching_translit.py [--sample 1500] [--held-out]

Pairs: the Wikidata transliteration pairs (Arabic, Russian, Chinese, Korean; rows seen at
least twice) and small hand-written lists of well-known people for Chinese, Korean, Thai,
Lao and Khmer names with the spelling their passports and the press use. For each
romaniser: the share of pairs whose romanisation equals the listed spelling (after
folding), and the share our token comparison aligns at >= 0.85 (what matters for
matching). "ours" without the Wikidata table is a fair test on the Wikidata pairs; with
the table it is in-sample (the table is built from those pairs) and shown only as such;
so is "rules + learned" (the transcription model is learned from them too). --held-out
measures that model fairly: learned again without a fifth of the native tokens, on those.
"""

from __future__ import annotations

import argparse
import random
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

from alertd.matching import NameInput
from alertd.matching.alignment import name_score
from alertd.matching.build_tables import SIGN_SIZES, read_pairs
from alertd.matching.names import prepare_name, prepare_readings
from alertd.matching.tables import NameTables, load_name_tables
from alertd.matching.token_similarity import TokenComparer
from alertd.matching.transcription import format_model, parse_model
from alertd.matching.transcription_training import learn

DATA = Path("/work/shared/data/translit")
ALIGNED = 0.85

HAND_PAIRS = {
    "chinese (people)": [
        ("习近平", "xi jinping"), ("李克强", "li keqiang"), ("毛泽东", "mao zedong"),
        ("邓小平", "deng xiaoping"), ("胡锦涛", "hu jintao"), ("温家宝", "wen jiabao"),
        ("王毅", "wang yi"), ("马云", "ma yun"), ("周恩来", "zhou enlai"),
        ("刘晓波", "liu xiaobo"), ("欧阳修", "ouyang xiu"), ("司马迁", "sima qian"),
        ("单田芳", "shan tianfang"), ("曾国藩", "zeng guofan"), ("张艺谋", "zhang yimou"),
    ],
    "korean (people)": [
        ("김정은", "kim jong un"), ("박근혜", "park geun hye"), ("문재인", "moon jae in"),
        ("이명박", "lee myung bak"), ("김대중", "kim dae jung"), ("노무현", "roh moo hyun"),
        ("반기문", "ban ki moon"), ("김일성", "kim il sung"), ("윤석열", "yoon suk yeol"),
        ("이재명", "lee jae myung"), ("손흥민", "son heung min"), ("김연아", "kim yuna"),
    ],
    "thai (people)": [
        ("ทักษิณ ชินวัตร", "thaksin shinawatra"), ("ยิ่งลักษณ์ ชินวัตร", "yingluck shinawatra"),
        ("ประยุทธ์ จันทร์โอชา", "prayut chan o cha"), ("อภิสิทธิ์ เวชชาชีวะ", "abhisit vejjajiva"),
        ("สมชาย วงศ์สวัสดิ์", "somchai wongsawat"), ("ประวิตร วงษ์สุวรรณ", "prawit wongsuwan"),
        ("เศรษฐา ทวีสิน", "srettha thavisin"), ("อนุทิน ชาญวีรกูล", "anutin charnvirakul"),
        ("ชวน หลีกภัย", "chuan leekpai"), ("สมศักดิ์ เทพสุทิน", "somsak thepsutin"),
        ("พิธา ลิ้มเจริญรัตน์", "pita limjaroenrat"), ("แพทองธาร ชินวัตร", "paetongtarn shinawatra"),
        ("ชัชชาติ สิทธิพันธุ์", "chadchart sittipunt"), ("สุรยุทธ์ จุลานนท์", "surayud chulanont"),
        ("บัวขาว บัญชาเมฆ", "buakaw banchamek"),
        ("ธนาธร จึงรุ่งเรืองกิจ", "thanathorn juangroongruangkit"),
    ],
    "lao (people)": [
        ("ທອງລຸນ ສີສຸລິດ", "thongloun sisoulith"), ("ສອນໄຊ ສີພັນດອນ", "sonexay siphandone"),
        ("ບຸນຍັງ ວໍລະຈິດ", "bounnhang vorachit"), ("ສົມສັກ", "somsak"),
        ("ພັນຄຳ ວິພາວັນ", "phankham viphavanh"),
    ],
    "khmer (people)": [
        ("ហ៊ុន សែន", "hun sen"), ("ហ៊ុន ម៉ាណែត", "hun manet"), ("សម រង្ស៊ី", "sam rainsy"),
        ("កឹម សុខា", "kem sokha"), ("ជា ស៊ីម", "chea sim"), ("ហេង សំរិន", "heng samrin"),
        ("នរោត្តម សីហមុនី", "norodom sihamoni"), ("ខៀវ សំផន", "khieu samphan"),
        ("នួន ជា", "nuon chea"), ("អៀង សារី", "ieng sary"), ("ប៉ុល ពត", "pol pot"),
        ("សុខ ចាន់", "sok chan"), ("ស សុខា", "sar sokha"), ("ទៀ បាញ់", "tea banh"),
    ],
}  # fmt: skip


def ours(with_tables: NameTables) -> Callable[[str], list[str]]:
    """Our readings of a name (the foreign reading of a Han or Hangul name too), each
    alternative spelling in turn."""

    def run(text: str) -> list[str]:
        forms = []
        for prepared in prepare_readings(NameInput(text), with_tables):
            most = max(len(s) for s in prepared.slots)
            forms += [" ".join(s[min(i, len(s) - 1)] for s in prepared.slots) for i in range(most)]
        return forms or [""]

    return run


def held_out(sample: int, rng: random.Random) -> None:
    """Tokens neither the table nor the learned transcription has seen: a fifth of each
    script's native tokens (by hash) are held out, the model is learned from the rest
    (as build_tables does, minutes), and the held-out pairs are read without a table."""
    print("| held-out tokens | ours (rules) | ours (rules + learned) |")
    print("|---|---|---|")
    for name, sizes in SIGN_SIZES.items():
        pairs = read_pairs(DATA / name)
        kept = [p for p in pairs if zlib.crc32(p[0].encode()) % 5]  # four fifths
        out = [
            (n, latin) for n, latin, seen in pairs if seen >= 2 and not zlib.crc32(n.encode()) % 5
        ]
        model = parse_model(format_model(learn(kept, sizes)))
        chosen = rng.sample(out, min(sample, len(out)))
        rules = measure(chosen, ours(NameTables()), NameTables())
        learned = measure(chosen, ours(NameTables(transcription=model)), NameTables())
        label = f"{name.split('_')[1]} (n={len(chosen)})"
        print(f"| {label} | {rules[0]} exact / {rules[1]} aligned "
              f"| {learned[0]} exact / {learned[1]} aligned |", flush=True)  # fmt: skip


def seen_natives(pairs: list[tuple[str, str, int]]) -> frozenset[str]:
    return frozenset(native for native, _, _ in pairs)


def romanisers(tables: NameTables) -> dict[str, Callable[[str], list[str]]]:
    """Each returns the candidate Latin forms (tokens joined by spaces) of a native text."""
    empty = NameTables()

    found: dict[str, Callable[[str], list[str]]] = {
        "ours (rules, no table)": ours(NameTables(transcription=empty.transcription)),
        "ours (rules + learned, no table)": ours(NameTables(transcription=tables.transcription)),
        "ours + Wikidata table": ours(tables),
    }
    try:
        from anyascii import anyascii

        found["anyascii"] = lambda t: [anyascii(t).lower()]
    except ImportError:
        pass
    try:
        from unidecode import unidecode

        found["unidecode"] = lambda t: [unidecode(t).lower()]
    except ImportError:
        pass
    try:
        from pythainlp.transliterate import romanize

        found["pythainlp royin (Thai only)"] = lambda t: [
            " ".join(romanize(w) for w in t.split()).lower()
        ]
    except ImportError:
        pass
    try:
        from korean_romanizer.romanizer import Romanizer

        found["korean-romanizer"] = lambda t: [Romanizer(t).romanize().lower()]
    except ImportError:
        pass
    try:
        from pypinyin import lazy_pinyin

        found["pypinyin (syllables)"] = lambda t: [" ".join(lazy_pinyin(t))]
    except ImportError:
        pass
    try:
        import icu

        any_latin = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
        found["ICU Any-Latin"] = lambda t: [any_latin.transliterate(t).lower()]
    except ImportError:
        pass
    return found


def wikidata_pairs(name: str, sample: int, rng: random.Random) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        latin, native, count = line.split("\t")
        if int(count) >= 2 and latin.isascii() and latin.isalpha():
            rows.append((native.replace(" ", ""), latin.lower()))
    return rng.sample(rows, min(sample, len(rows)))


def aligned(candidate: str, expected: str, tables: NameTables) -> bool:
    """Our name comparison scores the romanised name against the listed spelling >= 0.85."""
    if not candidate.isascii():
        return False  # the tool left the script as it was (not its script)
    got = prepare_name(NameInput(candidate), tables)
    want = prepare_name(NameInput(expected), tables)
    if got is None or want is None:
        return False
    return name_score(got, want, TokenComparer(tables)) >= ALIGNED


def measure(
    pairs: list[tuple[str, str]], run: Callable[[str], list[str]], tables: NameTables
) -> tuple[str, str]:
    exact = close = 0
    for native, latin in pairs:
        forms = run(native)
        exact += any(f.replace("-", " ").replace("'", "") == latin for f in forms)
        close += any(aligned(f, latin, tables) for f in forms)
    return f"{100 * exact / len(pairs):.0f}%", f"{100 * close / len(pairs):.0f}%"


def _safe_measure(
    pairs: list[tuple[str, str]], run: Callable[[str], list[str]], tables: NameTables
) -> tuple[str, str]:
    """A romaniser that rejects a script (korean-romanizer on Arabic) scores n/a."""
    try:
        return measure(pairs, run, tables)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return "n/a", "n/a"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=1500)
    parser.add_argument("--held-out", action="store_true", help="tokens unseen in learning")
    args = parser.parse_args()
    tables = load_name_tables()
    rng = random.Random(3)
    if args.held_out:
        held_out(args.sample, rng)
        return
    sets = {
        f"{script} (Wikidata, n={args.sample})": wikidata_pairs(
            f"wd_{script}_80.tsv", args.sample, rng
        )
        for script in ("arabic", "russian", "chinese", "korean")
    }
    sets.update({f"{k} (n={len(v)})": v for k, v in HAND_PAIRS.items()})
    tools = romanisers(tables)
    print("| pairs | " + " | ".join(tools) + " |")
    print("|---|" + "---|" * len(tools))
    for label, pairs in sets.items():
        cells = [_safe_measure(pairs, run, tables) for run in tools.values()]
        print(f"| {label} | " + " | ".join(f"{e} exact / {c} aligned" for e, c in cells) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
