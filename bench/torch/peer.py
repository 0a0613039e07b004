"""PyTorch side of bench/torch-peer.ts: runs one task of tasks.py on the inputs the JS side wrote.

    /usr/bin/python3 peer.py JOB.json

JOB.json: {task, params, threads, inputs, inputSpecs: [{name, shape, offset}], outputs, minTime,
minSamples}. The inputs are one raw float32 file (arrays back to back, offsets in elements). The
task's checked arrays (outputs, gradients) are written the same way to `outputs`; the last stdout
line is the JSON result: {torch, threads, blas, blasInfo, sgemmGflops, cases, outputSpecs}.
Threads are pinned by the caller's environment (OMP/OPENBLAS/MKL_NUM_THREADS) and here by
torch.set_num_threads, before any work.
"""
import json, math, os, re, statistics, sys, time

import numpy as np
import torch

import tasks


def blas_library():
    """the BLAS shared library mapped into this process (Debian picks it by alternatives or LD_LIBRARY_PATH)"""
    with open('/proc/self/maps') as f:
        for line in f:
            if 'blas' in line.lower():
                return line.split()[-1]
    return '?'


def time_op(fn, min_time, min_samples):
    """Median time per call of fn: a warm-up, then samples of c calls (c sized so a sample takes
    at least 10 ms) until min_time seconds and min_samples samples have passed."""
    t0 = time.perf_counter()
    k = 0
    while k < 2 or time.perf_counter() - t0 < 0.1 * min_time:
        fn()
        k += 1
    per = (time.perf_counter() - t0) / k
    c = max(1, math.ceil(0.01 / max(per, 1e-9)))
    times = []
    start = time.perf_counter()
    while len(times) < min_samples or time.perf_counter() - start < min_time:
        s = time.perf_counter()
        for _ in range(c):
            fn()
        times.append((time.perf_counter() - s) / c)
    mean = statistics.fmean(times)
    sd = statistics.stdev(times) if len(times) > 1 else 0.0
    return {
        'ms': statistics.median(times) * 1e3,
        'rme': 100 * 1.96 * sd / math.sqrt(len(times)) / mean,
        'samples': len(times),
        'callsPerSample': c,
    }


def sgemm_gflops(n=512):
    a, b = torch.randn(n, n), torch.randn(n, n)
    c = torch.empty(n, n)
    r = time_op(lambda: torch.mm(a, b, out=c), 0.1, 3)
    return 2 * n ** 3 / (r['ms'] / 1e3) / 1e9


def main():
    job = json.load(open(sys.argv[1]))
    threads = int(job['threads'])
    torch.set_num_threads(threads)
    raw = np.fromfile(job['inputs'], dtype='<f4')
    inputs = {}
    for s in job['inputSpecs']:
        size = int(np.prod(s['shape'], dtype=np.int64))
        inputs[s['name']] = torch.from_numpy(raw[s['offset']:s['offset'] + size].reshape(s['shape']).copy())
    ctx = tasks.Context(lambda fn: time_op(fn, float(job['minTime']), int(job['minSamples'])))
    run = getattr(tasks, 'task_' + job['task'], None)
    if run is None:
        raise SystemExit(f"peer.py: unknown task {job['task']!r}")
    cases, outputs = run(job['params'], inputs, ctx)
    specs, offset, parts = [], 0, []
    for name, t in outputs.items():
        a = t.detach().to(torch.float32).contiguous().numpy().reshape(-1)
        specs.append({'name': name, 'shape': list(t.shape), 'offset': offset})
        offset += a.size
        parts.append(a)
    if parts:
        np.concatenate(parts).astype('<f4').tofile(job['outputs'])
    info = re.search(r'BLAS_INFO=(\w+)', torch.__config__.show())
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'blas': blas_library(),
        'blasInfo': info.group(1) if info else '?',
        'sgemmGflops': sgemm_gflops(),
        'cases': cases,
        'outputSpecs': specs,
    }))


if __name__ == '__main__':
    main()
