"""The PyTorch side of scripts/profile-mlp-step.ts: the same MLP step (SGD batch 32 and 128, Adam
batch 64), median ms/step of `rounds` rounds of about 100 ms. One thread unless given:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 profile-mlp-step.py [rounds] [threads]
With `serve` as a third argument it answers case names on stdin with the ms/step of one ~30 ms round
(see the .ts).
"""
import math, sys, time
import torch

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)


def trainer(B, make):
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = make(model.parameters())
    x = torch.tensor([math.sin(i) * 0.5 + 0.5 for i in range(B * 784)], dtype=torch.float32).reshape(B, 784)
    y = torch.tensor([(i * 7) % 10 for i in range(B)])
    lossf = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        lossf(model(x), y).backward()
        opt.step()
    return step


CASES = [('sgd32', 32, lambda p: torch.optim.SGD(p, lr=0.1)), ('sgd128', 128, lambda p: torch.optim.SGD(p, lr=0.1)),
         ('adam64', 64, lambda p: torch.optim.Adam(p))]
if len(sys.argv) > 3 and sys.argv[3] == 'serve':
    steps = {}
    for line in sys.stdin:
        c = [c for c in CASES if c[0] == line.strip()]
        if not c:
            break
        name, B, make = c[0]
        if name not in steps:
            step = trainer(B, make)
            t0 = time.perf_counter()
            for _ in range(20):
                step()
            steps[name] = (step, max(3, round(30 / ((time.perf_counter() - t0) * 1e3 / 20))))
        step, per = steps[name]
        t1 = time.perf_counter()
        for _ in range(per):
            step()
        print(f'{(time.perf_counter() - t1) * 1e3 / per:.4f}', flush=True)
    sys.exit(0)
res = []
for name, B, make in CASES:
    step = trainer(B, make)
    t0 = time.perf_counter()
    for _ in range(20):
        step()
    per = max(5, round(100 / ((time.perf_counter() - t0) * 1e3 / 20)))
    ts = []
    for _ in range(rounds):
        t1 = time.perf_counter()
        for _ in range(per):
            step()
        ts.append((time.perf_counter() - t1) * 1e3 / per)
    ts.sort()
    res.append(f'{name} {ts[len(ts) // 2]:.3f} (min {ts[0]:.3f})')
print(f'torch threads={torch.get_num_threads()}: ' + '  '.join(res) + f' (ms/step, median (min) of {rounds} rounds)')
