#!/usr/bin/env python3
"""Writes unicode_classes.txt: how Hugging Face `tokenizers` (BertNormalizer + BertPreTokenizer) treats
every code point, so Pare's tests can check its character classes on all 1,112,064 of them.

    /work/venvs/tok/bin/python Fixtures/tokenizer/make_unicode_table.py

Format, one record per line (code points in hex; `A-B` is an inclusive range):
    <class> <ranges…>          class = drop | space | split | punct | cjk
    strip <cp> <cp…>           NFD + drop Mn changes <cp> into the listed code points (none = removed);
                               Hangul syllables AC00-D7A3 are left out (they decompose by formula)
    lower <cp> <cp…>           lower-casing changes <cp> into the listed code points
Also writes mark_sequences.txt: 1,500 seeded random sequences (a base, then 1–5 scalars drawn from every
combining mark of Python's Unicode database, some spacing marks and precomposed letters), one per line as
`<input cps> > <output cps>` after strip_accents, to check canonical reordering and decomposition in context.
"drop": removed by clean_text; "space": turned into " " by clean_text; "split": whitespace for the
pre-tokenizer (including " "); "punct": isolated by the pre-tokenizer; "cjk": spaced by handle_chinese_chars.
"""
import os

import tokenizers
from tokenizers import normalizers, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))


def ranges(cps):
    out = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return " ".join(f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in out)


def hangul(cp):
    index = cp - 0xAC00
    lead, vowel, trail = 0x1100 + index // 588, 0x1161 + (index % 588) // 28, 0x11A7 + index % 28
    return chr(lead) + chr(vowel) + (chr(trail) if trail != 0x11A7 else "")


def main():
    clean = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=False, strip_accents=False, lowercase=False)
    cjk = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True, strip_accents=False, lowercase=False)
    strip = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=True, lowercase=False)
    lower = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=False, strip_accents=False, lowercase=True)
    pre = pre_tokenizers.BertPreTokenizer()
    classes = {name: [] for name in ("drop", "space", "split", "punct", "cjk")}
    strips, lowers = [], []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        cleaned = clean.normalize_str(c)
        if cleaned == "":
            classes["drop"].append(cp)
        elif cleaned == " " and c != " ":
            classes["space"].append(cp)
        else:
            assert cleaned == c, hex(cp)
        if cjk.normalize_str(c) != c:
            classes["cjk"].append(cp)
        pieces = pre.pre_tokenize_str("a" + c + "b")
        if len(pieces) == 2:
            classes["split"].append(cp)
        elif len(pieces) == 3:
            assert pieces[1][0] == c, hex(cp)
            classes["punct"].append(cp)
        s = strip.normalize_str(c)
        if 0xAC00 <= cp <= 0xD7A3:
            # Hangul syllables decompose by formula (Unicode ch. 3.12); the test applies it instead of a table.
            assert s == hangul(cp), hex(cp)
        elif s != c:
            strips.append(f"strip {cp:X}" + "".join(f" {ord(x):X}" for x in s))
        lo = lower.normalize_str(c)
        if lo != c:
            lowers.append(f"lower {cp:X}" + "".join(f" {ord(x):X}" for x in lo))
    with open(os.path.join(HERE, "unicode_classes.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write(f"# tokenizers {tokenizers.__version__}: BertNormalizer / BertPreTokenizer on every code point; made by make_unicode_table.py\n")
        for name, cps in classes.items():
            f.write(f"{name} {ranges(cps)}\n")
        f.write("\n".join(strips) + "\n")
        f.write("\n".join(lowers) + "\n")
    print({k: len(v) for k, v in classes.items()}, len(strips), len(lowers))
    write_mark_sequences(strip)


def write_mark_sequences(strip):
    import random
    import unicodedata
    rng = random.Random(20261201)
    marks = [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF and unicodedata.combining(chr(cp))]
    extra = [0x1D165, 0x1D166, 0x1D16D, 0x0903, 0x1734, 0x1885, 0xA9BD, 0x1171E, 0x11938, 0xE9, 0x1D6, 0x1F88,
             0x1E09, 0x1FA, 0x3099, 0x304C, 0xAC00, 0xF900, 0x1E944, 0x1DF6, 0x0898, 0x1AC0, 0x0378]
    bases = [0x61, 0x41, 0x3B1, 0x627, 0x915, 0x304B, 0x20, 0x1D15F]
    lines = []
    for _ in range(1500):
        seq = [rng.choice(bases)] + [rng.choice(marks if rng.random() < 0.8 else extra) for _ in range(rng.randint(1, 5))]
        out = strip.normalize_str("".join(map(chr, seq)))
        lines.append(" ".join(f"{c:X}" for c in seq) + " > " + " ".join(f"{ord(c):X}" for c in out))
    with open(os.path.join(HERE, "mark_sequences.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
