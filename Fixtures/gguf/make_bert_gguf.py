#!/usr/bin/env python3
"""Converts the tiny random BERT (Fixtures/bert/tiny-bert) to GGUF with llama.cpp's own
convert_hf_to_gguf.py, as llama.cpp users make BERT GGUFs.

    LLAMA=/path/to/llama.cpp   # e.g. vendor/llama.cpp from the PyPI sdist llama-cpp-python 0.3.36
    PYTHONPATH=$LLAMA:$LLAMA/gguf-py VENV_WITH_TORCH/bin/python Fixtures/gguf/make_bert_gguf.py $LLAMA

(the script imports torch and transformers: the venv of Fixtures/bert/make_tiny_bert.py has them.)
Writes tiny-bert-f32.gguf and tiny-bert-q8_0.gguf here. One patch, said aloud: llama.cpp identifies
a tokenizer's pre-tokenizer by hashing its output on a test text, and the tiny random 320-token
vocabulary has no registered hash, so get_vocab_base_pre is made to answer "bert-bge" — the value the
script gives bge-small / bert-base-uncased vocabularies. It only sets tokenizer.ggml.pre; tensors,
names, dims, the other keys and the phantom-space token list are the script's own.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
llama = os.path.abspath(sys.argv[1])
sys.path[:0] = [llama, os.path.join(llama, "gguf-py")]

import conversion.base  # noqa: E402
import convert_hf_to_gguf  # noqa: E402

conversion.base.TextModel.get_vocab_base_pre = lambda self, tokenizer: "bert-bge"
model = os.path.join(HERE, "..", "bert", "tiny-bert")
for outtype in ("f32", "q8_0"):
    sys.argv = ["convert_hf_to_gguf.py", model, "--outtype", outtype, "--outfile", os.path.join(HERE, f"tiny-bert-{outtype}.gguf")]
    convert_hf_to_gguf.main()
