#!/usr/bin/env python3
"""Reference figures from the peers a Pare user would pick instead: PyTorch, NumPy/OpenBLAS, SciPy.

Runs on the same machine, data and thread count as `pare bench`, so the two can be compared as ratios.
Python is a benchmark tool here, never a runtime dependency of Pare. Run through ./run.sh, which
creates its own venv.

What it measures (LeNet-300-100 on the bundled 5,000-image MNIST subset, inputs scaled to [0, 1]):
  * training: Adam lr 1e-3, batch 64, global-norm clip 1.0, L1 1e-5 on weights -> accuracy, s/epoch;
    global magnitude pruning to each sparsity + masked fine-tuning -> accuracy;
  * inference per sample at batch 1 and batch 256: PyTorch dense f32, PyTorch quantize_dynamic int8,
    NumPy dense f32, SciPy CSR at each sparsity;
  * NumPy GEMM throughput on the network's shapes.
With --weights FILE.npz (written by `pare export --to npz`), the SciPy/NumPy timings use Pare's own
matrices instead of the PyTorch-trained ones, so sparse kernels are compared on identical matrices.
"""
import argparse, gzip, json, os, struct, sys, time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def read_idx(path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, split):
    images = read_idx(folder / f"{split}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    labels = read_idx(folder / f"{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return images, labels


def median_time(fn, repeats, inner=1, clock=time.perf_counter):
    times = []
    for _ in range(repeats):
        start = clock()
        for _ in range(inner):
            fn()
        times.append((clock() - start) / inner)
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "Fixtures/datasets/mnist5k"))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--finetune-epochs", type=int, default=5)
    parser.add_argument("--sparsities", default="0.9,0.95,0.98")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--weights", action="append", default=[],
                        help="npz of Pare's weights (fc1.weight …) for the SciPy/NumPy timings; repeatable")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import torch, scipy.sparse as sp
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    np.random.seed(0)
    folder = Path(args.data)
    xtr, ytr = load(folder, "train")
    xte, yte = load(folder, "test")
    Xtr, Ytr, Xte, Yte = map(torch.from_numpy, (xtr, ytr, xte, yte))

    def make():
        return torch.nn.Sequential(torch.nn.Linear(784, 300), torch.nn.ReLU(), torch.nn.Linear(300, 100),
                                   torch.nn.ReLU(), torch.nn.Linear(100, 10))

    def accuracy(model):
        with torch.no_grad():
            return (model(Xte).argmax(1) == Yte).float().mean().item()

    def train(model, epochs, masks=None):
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
        g = torch.Generator().manual_seed(1)
        start = time.perf_counter()
        for _ in range(epochs):
            perm = torch.randperm(len(Xtr), generator=g)
            for i in range(0, len(Xtr), 64):
                idx = perm[i:i + 64]
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(Xtr[idx]), Ytr[idx])
                loss = loss + 1e-5 * sum(w.abs().sum() for w in weights)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                opt.step()
                if masks:
                    with torch.no_grad():
                        for w, m in zip(weights, masks):
                            w.mul_(m)
        return (time.perf_counter() - start) / max(epochs, 1)

    result = {"threads": args.threads, "torch": torch.__version__, "numpy": np.__version__}
    dense = make()
    result["train_seconds_per_epoch"] = train(dense, args.epochs)
    result["dense_accuracy"] = accuracy(dense)
    state = {k: v.clone() for k, v in dense.state_dict().items()}

    pruned = {}
    for s in [float(x) for x in args.sparsities.split(",") if x]:
        model = make()
        model.load_state_dict(state)
        weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
        allw = torch.cat([w.detach().abs().flatten() for w in weights])
        k = int(round(s * allw.numel()))
        threshold = allw.kthvalue(k).values.item() if k > 0 else -1
        masks = [(w.detach().abs() > threshold).float() for w in weights]
        with torch.no_grad():
            for w, m in zip(weights, masks):
                w.mul_(m)
        train(model, args.finetune_epochs, masks)
        pruned[s] = model
        result[f"accuracy_sparse_{s}"] = accuracy(model)

    # Inference timings.
    rows = []
    x1, x256 = Xte[:1], Xte[:256]

    def timed(name, fn1, fn256):
        t1 = median_time(fn1, 31, 50)
        t256 = median_time(fn256, 11, 3) / 256
        rows.append({"engine": name, "batch1_us": t1 * 1e6, "batch256_us_per_sample": t256 * 1e6})

    with torch.no_grad():
        timed("pytorch dense f32", lambda: dense(x1), lambda: dense(x256))
        qmodel = torch.ao.quantization.quantize_dynamic(dense, {torch.nn.Linear}, dtype=torch.qint8)
        timed("pytorch quantize_dynamic int8", lambda: qmodel(x1), lambda: qmodel(x256))

    def numpy_layers(model_or_npz):
        if isinstance(model_or_npz, dict):
            names = sorted({k.rsplit(".", 1)[0] for k in model_or_npz if k.endswith("weight")})
            return [(model_or_npz[n + ".weight"].astype(np.float32), model_or_npz[n + ".bias"].astype(np.float32)) for n in names]
        lin = [m for m in model_or_npz if isinstance(m, torch.nn.Linear)]
        return [(l.weight.detach().numpy().copy(), l.bias.detach().numpy().copy()) for l in lin]

    def numpy_forward(layers, x):
        for i, (w, b) in enumerate(layers):
            x = x @ w.T + b
            if i < len(layers) - 1:
                np.maximum(x, 0, out=x)
        return x

    def csr_forward(layers, x):
        for i, (w, b) in enumerate(layers):
            x = (w @ x.T).T + b  # scipy CSR W times dense X^T
            if i < len(layers) - 1:
                np.maximum(x, 0, out=x)
        return x

    n1, n256 = xte[:1], xte[:256]
    dense_layers = numpy_layers(dense)
    timed("numpy dense f32", lambda: numpy_forward(dense_layers, n1), lambda: numpy_forward(dense_layers, n256))
    sources = {}
    for path in args.weights:
        sources[Path(path).stem] = dict(np.load(path))
    for s, model in pruned.items():
        layers = numpy_layers(model)
        csr = [(sp.csr_matrix(w), b) for w, b in layers]
        timed(f"scipy csr {int(s * 100)}%", lambda: csr_forward(csr, n1), lambda: csr_forward(csr, n256))
    for name, weights in sources.items():
        layers = numpy_layers(weights)
        total = sum(w.size for w, _ in layers)
        nnz = sum(int((w != 0).sum()) for w, _ in layers)
        csr = [(sp.csr_matrix(w), b) for w, b in layers]
        timed(f"scipy csr on {name} weights ({100 * (1 - nnz / total):.0f}%)",
              lambda: csr_forward(csr, n1), lambda: csr_forward(csr, n256))
    result["inference"] = rows

    gemm = []
    rng = np.random.default_rng(0)
    for m, n, k in [(256, 300, 784), (256, 100, 300), (256, 10, 100), (1, 300, 784)]:
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((n, k), dtype=np.float32)
        t = median_time(lambda: a @ b.T, 21, 10 if m > 1 else 200)
        gemm.append({"m": m, "n": n, "k": k, "gflops": 2 * m * n * k / t / 1e9})
    result["numpy_gemm"] = gemm

    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"PyTorch {torch.__version__}, NumPy {np.__version__}, {args.threads} thread(s)")
    print(f"train: {result['train_seconds_per_epoch']:.3f} s/epoch, dense test accuracy {result['dense_accuracy']:.3f}")
    for s in pruned:
        print(f"  {s:.0%} sparse after fine-tuning: accuracy {result[f'accuracy_sparse_{s}']:.3f}")
    print(f"{'engine':40} {'batch 1 (us)':>14} {'batch 256 (us/sample)':>22}")
    for r in rows:
        print(f"{r['engine']:40} {r['batch1_us']:14.1f} {r['batch256_us_per_sample']:22.2f}")
    for g in gemm:
        print(f"numpy gemm {g['m']}x{g['k']}x{g['n']}: {g['gflops']:.1f} GFLOP/s")


if __name__ == "__main__":
    sys.exit(main())
