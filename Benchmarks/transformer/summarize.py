"""Prints the transformer benchmark table (Markdown) from run.sh's JSON files in WORKDIR."""
import json
import os
import statistics
import sys

work = sys.argv[1]
variants = sys.argv[2].split()
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1


def load(v, b):
    """Round 1's document with ms_per_text replaced by the median over rounds."""
    docs = [json.load(open(os.path.join(work, f"{v}.b{b}.r{r}.json"))) for r in range(1, rounds + 1)]
    doc = dict(docs[0])
    doc["ms_per_text"] = statistics.median(d["ms_per_text"] for d in docs)
    doc["peak_rss_bytes"] = max(d["peak_rss_bytes"] for d in docs)
    return doc

st = json.load(open(os.path.join(work, "st.json")))
f32_bytes = os.path.getsize(os.path.join(work, "f32.pare"))
print("| variant | file bytes | file / f32 | mean cosine | min cosine | NN agrees | ms/text b1 | vs ST b1 | ms/text b64 | vs ST b64 | resident / file | peak RSS |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
tokens_ok = []
for v in variants:
    b1, b64 = load(v, 1), load(v, 64)
    size = os.path.getsize(os.path.join(work, f"{v}.pare"))
    print(f"| Pare {v} | {size:,} | {size / f32_bytes:.3f} | {b1['mean_cosine']:.6f} | {b1['min_cosine']:.6f} | "
          f"{b1['nearest_neighbour_agreement'] * 100:.0f} % | {b1['ms_per_text']:.2f} | {b1['ms_per_text'] / st['ms_per_text_batch1']:.2f}× | "
          f"{b64['ms_per_text']:.2f} | {b64['ms_per_text'] / st['ms_per_text_batch64']:.2f}× | "
          f"{b1['model_resident_bytes'] / size:.2f} | {max(b1['peak_rss_bytes'], b64['peak_rss_bytes']) / 1e6:.0f} MB |")
    tokens_ok.append(b1["tokens"] == sum(st["tokens"]))
print(f"| sentence-transformers (torch {st['torch']}, {st['threads']} thread) | | | 1 | 1 | 100 % | {st['ms_per_text_batch1']:.2f} | 1.00× | "
      f"{st['ms_per_text_batch64']:.2f} | 1.00× | | {st['peak_rss_bytes'] / 1e6:.0f} MB |")
print()
per_text = json.load(open(os.path.join(work, "embed.json")))["tokens"] == st["tokens"]
print(f"texts: {st['texts']}, tokens (sentence-transformers): {sum(st['tokens'])}; Pare's token totals equal: {all(tokens_ok)}; "
      f"per-text token counts equal: {per_text}")
