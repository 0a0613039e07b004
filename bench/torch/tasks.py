"""The work of the bench suites in PyTorch. Each task_NAME(params, inputs, ctx) returns
(cases, outputs): cases are dicts {name, ms, rme, samples, ...} from ctx.time, outputs the tensors
the JS side checks against its reference before it trusts a timing. Inputs are float32 tensors
named by the JS side (integer data such as labels arrive as float32 and are converted here)."""
import torch
import torch.nn.functional as F


class Context:
    def __init__(self, time):
        #: time(fn) -> {ms, rme, samples, callsPerSample}: median per call after a warm-up
        self.time = time


def case(name, timing, **extra):
    return {'name': name, **timing, **extra}


def task_echo(params, inputs, ctx):
    """plumbing check for the tests: every input times `scale`, and one trivial timing"""
    outs = {k: v * params['scale'] for k, v in inputs.items()}
    return [case('noop', ctx.time(lambda: None))], outs


def task_matmul(params, inputs, ctx):
    """C = A·B, float32, into a preallocated C (as memograd's kernel writes into the caller's array)"""
    cases, outs = [], {}
    for n in params['sizes']:
        a, b = inputs[f'a{n}'], inputs[f'b{n}']
        c = torch.empty(n, n)
        with torch.no_grad():
            torch.mm(a, b, out=c)
            outs[f'c{n}'] = c.clone()
            cases.append(case(f'n={n}', ctx.time(lambda: torch.mm(a, b, out=c))))
    return cases, outs


def mlp_trainer(B, inputs, lr, adam=False):
    """the MLP 784-128-10 (ReLU, CrossEntropyLoss, SGD or Adam) from the JS side's weights (W [in, out])"""
    X, labels = inputs['X'], inputs['labels'].to(torch.int64)
    l1, l2 = torch.nn.Linear(*inputs['W1'].shape), torch.nn.Linear(*inputs['W2'].shape)
    with torch.no_grad():
        l1.weight.copy_(inputs['W1'].t()); l1.bias.copy_(inputs['b1'])
        l2.weight.copy_(inputs['W2'].t()); l2.bias.copy_(inputs['b2'])
    model = torch.nn.Sequential(l1, torch.nn.ReLU(), l2)
    opt = (torch.optim.Adam if adam else torch.optim.SGD)(model.parameters(), lr=lr)
    return batched_step(model, opt, X, labels, B)


def batched_step(model, opt, X, labels, B):
    """one optimizer step on the next batch (cycling through X), returning the loss"""
    nb = X.shape[0] // B
    xs = [X[b * B:(b + 1) * B] for b in range(nb)]
    ys = [labels[b * B:(b + 1) * B] for b in range(nb)]
    state = {'i': 0}

    def step():
        b = state['i'] % nb
        state['i'] += 1
        opt.zero_grad()
        loss = F.cross_entropy(model(xs[b]), ys[b])
        loss.backward()
        opt.step()
        return loss.item()
    return step


def task_mlp(params, inputs, ctx):
    """SGD training step of the MLP at each batch size (and Adam at each of adamBatches): mean loss of the first verifySteps steps
    (from the initial weights), then the timing of a fresh trainer"""
    cases = []
    runs = [(B, False, params['lr']) for B in params['batches']]
    runs += [(B, True, params['adamLr']) for B in params.get('adamBatches', [])]
    for B, adam, lr in runs:
        s = mlp_trainer(B, inputs, lr, adam)
        mean = sum(s() for _ in range(params['verifySteps'])) / params['verifySteps']
        cases.append(case(f'{"Adam " if adam else ""}B={B}', ctx.time(mlp_trainer(B, inputs, lr, adam)), meanLoss=mean))
    return cases, {}


def task_conv(params, inputs, ctx):
    """conv2d forward (no_grad) and forward + backward (autograd.grad of the output with the
    upstream gradient gy, wrt x, w and b) for each named case"""
    cases, outs = [], {}
    for c in params['cases']:
        name, pad = c['name'], c['padding']
        x, w, b, gy = (inputs[f'{name}.{k}'] for k in ('x', 'w', 'b', 'gy'))
        with torch.no_grad():
            outs[f'{name}.y'] = F.conv2d(x, w, b, padding=pad)
            cases.append(case(f'{name} fwd', ctx.time(lambda: F.conv2d(x, w, b, padding=pad))))
        leaves = [t.clone().requires_grad_() for t in (x, w, b)]

        def fwd_bwd():
            y = F.conv2d(*leaves, padding=pad)
            return torch.autograd.grad(y, leaves, gy)
        for k, g in zip(('gx', 'gw', 'gb'), fwd_bwd()):
            outs[f'{name}.{k}'] = g
        cases.append(case(f'{name} fwd+bwd', ctx.time(fwd_bwd)))
    return cases, outs


def convnet(params_in):
    """examples/mnist-cnn's network, with the JS side's initial parameters (p0..p7 in order)"""
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Dropout(0.25),
        torch.nn.Linear(64 * 7 * 7, 128), torch.nn.ReLU(), torch.nn.Dropout(0.5),
        torch.nn.Linear(128, 10),
    )
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(params_in[f'p{i}'])
    return model


def task_convnet(params, inputs, ctx):
    """Adam training step of the convnet: verification in eval mode (dropout off, so every
    implementation computes the same losses), timing in train mode (dropout on)"""
    X, labels, B = inputs['X'], inputs['labels'].to(torch.int64), params['batch']

    def trainer(train):
        model = convnet(inputs).train(train)
        opt = torch.optim.Adam(model.parameters(), lr=params['lr'])
        return batched_step(model, opt, X, labels, B)
    s = trainer(False)
    losses = [s() for _ in range(params['verifySteps'])]
    return [case(f'B={B}', ctx.time(trainer(True)), losses=losses)], {}
