"""Python tokenizers on the same texts, one thread: Hugging Face `tokenizers` (Rust) per text and batched,
and transformers' pure-Python BertTokenizerLegacy. Usage: python peers.py FIXTURES_DIR"""
import json, os, sys, time
os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
from tokenizers import Tokenizer
from transformers.models.bert.tokenization_bert_legacy import BertTokenizerLegacy

d = sys.argv[1]
texts = json.load(open(os.path.join(d, "texts.json")))
fast = Tokenizer.from_file(os.path.join(d, "tokenizer_uncased.json"))
fast.no_padding()
fast.enable_truncation(128)
slow = BertTokenizerLegacy(os.path.join(d, "vocab_uncased.txt"))


def best(fn, rounds):
    fn()
    times = []
    for _ in range(3):
        t0 = time.process_time()
        for _ in range(rounds):
            fn()
        times.append(time.process_time() - t0)
    return rounds * len(texts) / min(times)


print("tokenizers per text:   %.0f sentences/s CPU" % best(lambda: [fast.encode(t) for t in texts], 20))
print("tokenizers batch:      %.0f sentences/s CPU" % best(lambda: fast.encode_batch(texts), 20))
print("BertTokenizerLegacy:   %.0f sentences/s CPU" % best(
    lambda: [slow(t, truncation=True, max_length=128) for t in texts], 2))
