#!/usr/bin/env python3
"""Checks that gguf-py reads the GGUF files `pare export --to gguf` writes (run by hand, never by tests).

    /work/venvs/gguf/bin/python Fixtures/gguf/check_export.py PARE_BINARY [OUT.txt]

For every fixture made by make_fixtures.py: `pare convert FIXTURE m.pare`, `pare export m.pare --to gguf
back.gguf`, then gguf-py's GGUFReader opens back.gguf and this script compares, per tensor, the type,
shape and bytes with the original (F32/F16/BF16/Q8_0/Q4_0 must be identical) or, for the types Pare
dequantizes, the F32 values with gguf-py's own dequantization of the original; and every metadata
key's type and value. It also exports a sparse int8 model and a q4_0 model built by `pare convert`
from a safetensors file, with --dtype f32 and f16, and checks gguf-py reads them and that the q4_0
blocks equal gguf-py's own Q4_0 quantizer output. Prints one line per check; exit 1 on any mismatch.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
VERBATIM = {"F32", "F16", "BF16", "Q8_0", "Q4_0"}


def run(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


def field_value(field):
    return field.contents()


def main():
    pare = os.path.abspath(sys.argv[1])
    lines, bad = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["types-v3.gguf", "types-v2.gguf", "align64.gguf", "done-when.gguf", "split-00001-of-00003.gguf"]:
            src_path = os.path.join(HERE, name)
            run(pare, "convert", src_path, os.path.join(tmp, "m.pare"))
            run(pare, "export", os.path.join(tmp, "m.pare"), "--to", "gguf", os.path.join(tmp, "back.gguf"))
            out = gguf.GGUFReader(os.path.join(tmp, "back.gguf"))
            sources = [src_path]
            if name.startswith("split-"):
                sources = [os.path.join(HERE, f"split-0000{i}-of-00003.gguf") for i in (1, 2, 3)]
            exported = {t.name: t for t in out.tensors}
            same = dequantized = 0
            for path in sources:
                src = gguf.GGUFReader(path)
                for t in src.tensors:
                    e = exported[t.name]
                    if t.tensor_type.name in VERBATIM:
                        ok = e.tensor_type == t.tensor_type and list(e.shape) == list(t.shape) and e.data.tobytes() == t.data.tobytes()
                        same += ok
                    else:
                        ref = gguf.quants.dequantize(t.data, t.tensor_type) if t.tensor_type.name != "Q8_K" else None
                        got = gguf.quants.dequantize(e.data, e.tensor_type)
                        ok = e.tensor_type.name == "F32" and (ref is None or np.array_equal(ref.view(np.uint32), got.view(np.uint32)))
                        dequantized += ok
                    if not ok:
                        bad += 1
                        lines.append(f"MISMATCH {name} {t.name}")
                if path == sources[0]:
                    for key, f in src.fields.items():
                        if key.startswith("GGUF.") or key in ("general.alignment",) or key.startswith("split."):
                            continue
                        g = out.fields.get(key)
                        if g is None or g.types != f.types or field_value(g) != field_value(f):
                            bad += 1
                            lines.append(f"MISMATCH {name} metadata {key}")
            lines.append(f"{name}: gguf-py reads the export; {same} tensors byte-identical, {dequantized} dequantized to F32 equal to gguf-py's dequantization; metadata keys and types equal")

    return lines, bad


def pare_codings(pare, lines):
    bad = 0
    rng = np.random.default_rng(5)
    w = rng.standard_normal((64, 128)).astype(np.float32)
    b = rng.standard_normal(64).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        np.savez(os.path.join(tmp, "w.npz"), weight=w, bias=b)
        for label, options in [("sparse int8", ["--sparsity", "0.8", "--quant", "int8"]), ("q4_0", ["--quant", "q4_0"])]:
            run(pare, "convert", os.path.join(tmp, "w.npz"), os.path.join(tmp, "m.pare"), *options)
            for dtype in ("f32", "f16"):
                out_path = os.path.join(tmp, f"m-{dtype}.gguf")
                run(pare, "export", os.path.join(tmp, "m.pare"), "--to", "gguf", out_path, "--dtype", dtype)
                r = gguf.GGUFReader(out_path)
                t = {x.name: x for x in r.tensors}
                types = {k: v.tensor_type.name for k, v in t.items()}
                ok = list(t["weight"].shape) == [128, 64]
                if label == "q4_0":
                    ok &= types["weight"] == "Q4_0" and t["weight"].data.tobytes() == gguf.quants.quantize(w, gguf.GGMLQuantizationType.Q4_0).tobytes()
                else:
                    ok &= types["weight"] == dtype.upper()
                ok &= types["bias"] == "F32"
                bad += not ok
                lines.append(f"{label} --dtype {dtype}: gguf-py reads it, types {types}" + ("" if ok else "  MISMATCH"))
    return bad


if __name__ == "__main__":
    lines, bad = main()
    bad += pare_codings(os.path.abspath(sys.argv[1]), lines)
    text = "\n".join(lines) + f"\n{'OK' if bad == 0 else f'{bad} MISMATCHES'}\n"
    print(text, end="")
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as f:
            f.write(text)
    sys.exit(1 if bad else 0)
