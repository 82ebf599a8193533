"""Calibration texts for `pare convert --calibration`, disjoint from texts.txt (the evaluation set).

Source: the first sentences of docstrings in CPython's standard library (the python3 running this
script), i.e. general technical English; kept when 6–30 words, mostly letters, not in texts.txt;
deduplicated, shuffled with a fixed seed, first N (default 512) written one per line.

    python3 make_calibration_texts.py OUT.txt [N]
"""
import importlib, inspect, pkgutil, random, re, sys, os, warnings

warnings.filterwarnings("ignore")
here = os.path.dirname(os.path.abspath(__file__))
evaluation = set(open(os.path.join(here, "texts.txt"), encoding="utf-8").read().splitlines())
out, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 512
skip = ("test", "idlelib", "tkinter", "turtle", "antigravity", "this", "lib2to3", "ensurepip", "pydoc_data")
sentences = set()
for info in sorted(pkgutil.iter_modules(), key=lambda m: m.name):
    if info.name.startswith(skip) or info.name.startswith("_"):
        continue
    try:
        module = importlib.import_module(info.name)
    except BaseException:
        continue
    objects = [module] + [v for _, v in sorted(vars(module).items()) if inspect.isfunction(v) or inspect.isclass(v)]
    for obj in objects:
        doc = inspect.getdoc(obj) or ""
        for paragraph in doc.split("\n\n")[:2]:
            text = " ".join(paragraph.split())
            for s in re.split(r"(?<=[.!?])\s+", text):
                words = s.split()
                letters = sum(c.isalpha() or c == " " for c in s)
                if 6 <= len(words) <= 30 and letters >= 0.9 * len(s) and s[0].isupper() and s.endswith(".") and s not in evaluation:
                    sentences.add(s)
pool = sorted(sentences)
random.Random(15).shuffle(pool)
with open(out, "w", encoding="utf-8") as f:
    f.write("\n".join(pool[:n]) + "\n")
print(f"{len(pool)} candidate sentences, wrote {min(n, len(pool))} to {out}", file=sys.stderr)
