"""sentence-transformers reference for the transformer benchmark: embeddings (.npy), token counts,
ms/text at batch 1 and 64 on one thread, peak RSS. Prints one JSON document.

    python st_reference.py MODEL_DIR TEXTS.txt OUT.npy
"""
import json
import resource
import statistics
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
from sentence_transformers import SentenceTransformer  # noqa: E402


def timed(fn, rounds):
    seconds = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main():
    folder, texts_path, out = sys.argv[1:4]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(texts_path, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    model = SentenceTransformer(folder, device="cpu")
    embeddings = model.encode(texts, batch_size=64, convert_to_numpy=True).astype(np.float32)
    np.save(out, embeddings)
    ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    model.encode(texts[:8], batch_size=1)  # warm-up
    batch1 = timed(lambda: [model.encode([t], batch_size=1) for t in texts], rounds)
    batch64 = timed(lambda: model.encode(texts, batch_size=64), rounds)
    print(json.dumps({
        "texts": len(texts),
        "tokens": [len(x) for x in ids],
        "ms_per_text_batch1": batch1 * 1000 / len(texts),
        "ms_per_text_batch64": batch64 * 1000 / len(texts),
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
