"""Makes the tiny random BERT fixtures Pare's transformer tests run against (no network).

Run with a venv holding torch, transformers and sentence-transformers:
    /work/venvs/bert/bin/python Fixtures/bert/make_tiny_bert.py Fixtures/bert

Writes two Hugging Face folders of different shapes and, for each, reference.json with the texts,
the Python tokenizer's ids, the last hidden states and the pooled embeddings from
transformers / sentence-transformers (float32, CPU):
  tiny-bert/        BertForMaskedLM (weights prefixed `bert.`, `cls.*` head kept), H 64, 2 layers,
                    4 heads, I 128, exact gelu, vocab.txt, sentence-transformers files: mean pooling
                    + Normalize, max_seq_length 24 (so the long text is truncated)
  tiny-bert-plain/  BertModel (no prefix), H 32, 3 layers, 2 heads, I 64, gelu_new, tokenizer.json
                    only (no vocab.txt), cased, CLS pooling, no Normalize, max_seq_length 40
Same seed → same files.
"""
import json
import os
import shutil
import sys

import numpy as np
import torch
from sentence_transformers import SentenceTransformer, models
from transformers import BertConfig, BertForMaskedLM, BertModel, BertTokenizerFast

TEXTS = [
    "The cat sat on the mat.",
    "A dog runs in the park!",
    "Hello, world",
    "Café au lait is not a cat",
    "the the the the",
    "",
    "numbers 123 and 4567, punctuation!!! ???",
    "UPPER lower MiXeD",
    "a very long text that goes on and on about cats and dogs and parks and mats until it is cut at the maximum length of the model",
    "unknownwordzzzz qx",
]

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ["the", "cat", "sat", "on", "mat", "a", "dog", "runs", "run", "in", "park", "hello", "world", "cafe", "au", "lait",
         "is", "not", "numbers", "and", "punctuation", "upper", "lower", "mixed", "very", "long", "text", "that", "goes",
         "about", "cats", "dogs", "parks", "mats", "until", "it", "cut", "at", "maximum", "length", "of", "model", "unknown",
         "word", "The", "Hello", "Café", "UPPER", "MiXeD", "A", "Ca", "##fé", "##ed", "##ing", "##s", "##er", "##X", "##e"]


def vocabulary(size):
    tokens = list(SPECIALS)
    chars = [chr(c) for c in range(33, 127)] + ["é", "á", "ü"]
    for word in WORDS + chars + ["##" + c for c in chars if c.isalnum()]:
        if word not in tokens:
            tokens.append(word)
    letters = "abcdefghijklmnopqrstuvwxyz"
    i = 0
    while len(tokens) < size:
        piece = letters[i % 26] + letters[(i // 26) % 26]
        for t in (piece, "##" + piece):
            if t not in tokens and len(tokens) < size:
                tokens.append(t)
        i += 1
    return tokens


def f32(x):
    """A float32 as the shortest decimal that reads back to the same float32 (9 significant digits)."""
    return float("%.9g" % float(np.float32(x)))


def randomize(model, generator):
    """Larger-than-default random weights (and non-trivial LayerNorms) so attention is not uniform."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=generator))
            elif p.dim() == 1:
                p.copy_(0.1 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.15 * torch.randn(p.shape, generator=generator))


def make(out, name, config, model_class, pooling, normalize, max_len, lowercase, keep_vocab_txt):
    folder = os.path.join(out, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    tokens = vocabulary(config.vocab_size)
    vocab_path = os.path.join(folder, "vocab.txt")
    with open(vocab_path, "w", encoding="utf-8") as f:
        f.write("\n".join(tokens) + "\n")
    tokenizer = BertTokenizerFast(vocab={t: i for i, t in enumerate(tokens)}, do_lower_case=lowercase, model_max_length=max_len)
    generator = torch.Generator().manual_seed(1234 + config.hidden_size)
    model = model_class(config).eval()
    randomize(model, generator)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    for extra in ("special_tokens_map.json", "generation_config.json"):
        path = os.path.join(folder, extra)
        if os.path.exists(path):
            os.remove(path)

    # sentence-transformers files, written as sentence-transformers itself writes them.
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
        os.makedirs(os.path.join(folder, "2_Normalize"), exist_ok=True)
    with open(os.path.join(folder, "modules.json"), "w") as f:
        json.dump(modules, f, indent=2)
    os.makedirs(os.path.join(folder, "1_Pooling"), exist_ok=True)
    with open(os.path.join(folder, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": config.hidden_size,
                   "pooling_mode_cls_token": pooling == "cls", "pooling_mode_mean_tokens": pooling == "mean",
                   "pooling_mode_max_tokens": pooling == "max", "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)
    with open(os.path.join(folder, "sentence_bert_config.json"), "w") as f:
        json.dump({"max_seq_length": max_len, "do_lower_case": False}, f, indent=2)

    st = SentenceTransformer(folder, device="cpu")
    embeddings = st.encode(TEXTS, batch_size=4, convert_to_numpy=True, normalize_embeddings=False)
    encoded = tokenizer(TEXTS, truncation=True, max_length=max_len)
    bert = model.bert if hasattr(model, "bert") else model
    hidden = []
    with torch.no_grad():
        for ids in encoded["input_ids"]:
            states = bert(input_ids=torch.tensor([ids])).last_hidden_state[0].numpy()
            hidden.append([f32(x) for x in states.reshape(-1)])
    reference = {
        "texts": TEXTS,
        "ids": encoded["input_ids"],
        "hidden": hidden,
        "embeddings": [[f32(x) for x in e] for e in embeddings],
        "made_by": "make_tiny_bert.py with torch %s, transformers, sentence-transformers" % torch.__version__,
    }
    if not keep_vocab_txt:
        os.remove(vocab_path)
    with open(os.path.join(out, name + ".reference.json"), "w") as f:
        json.dump(reference, f, separators=(",", ":"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(0)
    make(out, "tiny-bert",
         BertConfig(vocab_size=320, hidden_size=64, num_hidden_layers=2, num_attention_heads=4, intermediate_size=128,
                    hidden_act="gelu", max_position_embeddings=64, type_vocab_size=2, pad_token_id=0),
         BertForMaskedLM, "mean", True, 24, True, True)
    make(out, "tiny-bert-plain",
         BertConfig(vocab_size=300, hidden_size=32, num_hidden_layers=3, num_attention_heads=2, intermediate_size=64,
                    hidden_act="gelu_new", max_position_embeddings=48, type_vocab_size=1, pad_token_id=0,
                    layer_norm_eps=1e-7),
         BertModel, "cls", False, 40, False, False)


if __name__ == "__main__":
    main()
