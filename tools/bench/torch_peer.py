"""The PyTorch peer of `vla-node bench`: the same CogACT model, timed stage by stage on CPU.

The model is tools/train's PyTorch CogACT (at parity with the engine to ≤ 1e-6), built from the
config that `vla-node bench --preset P --flops-only --json` prints, with random weights, the same
input ids (the bench's 276-token prefill at `small`), towers cut at the same feature layers, and the
same 10 DDIM steps with classifier-free guidance as one batch of 2. Its FLOPs, counted by torch's
FlopCounterMode, are checked against the engine's analytic count. Prints one JSON object:
per-stage milliseconds (median over --runs after a warm-up), GFLOP per stage from both counts, the
thread count and torch's version.

usage: torch_peer.py --describe BENCH.json [--runs 3] [--threads 2] [--compile]
"""
import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'train'))  # the PyTorch CogACT of tools/train

from cogact_model import CogACT  # noqa: E402
from ddim import ddim_sample, ddim_steps  # noqa: E402
from llama import CognitionPrefill  # noqa: E402

STAGES = ('vision', 'projector', 'llm', 'action')
# The two counts must agree to 2 % per stage. They differ only in the DiT's conditioning: tools/train's
# DiT embeds the timestep for both CFG rows and the cognition on every DDIM step, the engine once
# (about 0.4 % of the action stage at `small`, 0.9 % at `tiny`); every GEMM and attention is the same.
FLOP_TOLERANCE = 0.02


class Peer:
    """One forward of the torch model split into the bench's stages; `compiled` wraps every stage's
    module with torch.compile."""

    def __init__(self, config, input_ids, compiled):
        torch.manual_seed(0)
        self.model = CogACT(config).eval()
        action = config['action']
        self.steps = ddim_steps(action['diffusion_steps'], action['ddim_steps'])
        self.cfg_scale = action['cfg_scale']
        size = config['vision']['image_size']
        self.dino = torch.randn(1, 3, size, size)
        self.siglip = torch.randn(1, 3, size, size)
        self.ids = torch.tensor([input_ids], dtype=torch.long)
        self.noise = torch.randn(action['horizon'], action['action_dim'])
        wrap = torch.compile if compiled else (lambda module: module)
        self.vision = wrap(self.model.vision_backbone)
        self.projector = wrap(self.model.projector)
        self.prefill = CognitionPrefill(self.model.llm_backbone.llm.model)
        self.llm = wrap(self.prefill)
        self.dit = wrap(self.model.dit)

    def stages(self, eager=False):
        """One forward as (stage, step) pairs, run in order; each step feeds the next. `eager` uses the
        plain modules even when the peer is compiled (FLOP counting)."""
        model, state, drop = self.model, {}, torch.tensor([False, True])
        vision, projector, llm, dit = ((model.vision_backbone, model.projector, self.prefill, model.dit)
                                       if eager else (self.vision, self.projector, self.llm, self.dit))

        def predict_eps(x, t, guided):
            batch = 2 if guided else 1
            return dit(x.expand(batch, -1, -1), torch.full((batch,), t), state['cognition'].expand(batch, -1), drop[:batch])

        return (
            ('vision', lambda: state.update(features=vision(self.dino, self.siglip))),
            ('projector', lambda: state.update(projected=projector(state['features']))),
            ('llm', lambda: state.update(cognition=llm(model.llm_input(state['projected'], self.ids)))),
            ('action', lambda: ddim_sample(self.noise, self.steps, self.cfg_scale, predict_eps)),
        )

    @torch.no_grad()
    def forward(self):
        """Milliseconds per stage of one forward."""
        times = {}
        for stage, step in self.stages():
            start = time.perf_counter()
            step()
            times[stage] = 1000 * (time.perf_counter() - start)
        return times

    @torch.no_grad()
    def gflop(self):
        """GFLOP per stage as torch's FlopCounterMode counts them (matmuls, convolutions, attention)."""
        counts = {}
        for stage, step in self.stages(eager=True):
            with FlopCounterMode(display=False) as counter:
                step()
            counts[stage] = counter.get_total_flops() / 1e9
        return counts


def check_flops(torch_gflop, engine_gflop):
    """Refuses to report a peer that does different work: every stage within FLOP_TOLERANCE."""
    for stage in STAGES:
        ours, theirs = engine_gflop[stage], torch_gflop[stage]
        if abs(theirs - ours) > FLOP_TOLERANCE * ours:
            raise SystemExit(f'torch_peer: {stage} is {theirs:.4f} GFLOP in torch but {ours:.4f} in the engine; '
                             'the models differ, so the timings would not compare')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--describe', type=Path, required=True,
                        help='output of `vla-node bench --preset P --flops-only --json` (config, input ids, GFLOP)')
    parser.add_argument('--runs', type=int, default=3, help='timed forwards after one warm-up (default 3)')
    parser.add_argument('--threads', type=int, default=torch.get_num_threads(), help='torch intra-op threads')
    parser.add_argument('--compile', action='store_true', help='torch.compile every stage (warm-up compiles)')
    args = parser.parse_args(argv)
    if args.runs < 1 or args.threads < 1:
        parser.error('--runs and --threads must be at least 1')
    try:
        described = json.loads(args.describe.read_text())
        config, input_ids, engine_gflop = described['config'], described['input_ids'], described['gflop']
    except (OSError, ValueError, KeyError, TypeError) as error:
        sys.exit(f'torch_peer: {args.describe} is not the output of `vla-node bench --flops-only --json` ({error!r})')
    torch.set_num_threads(args.threads)
    peer = Peer(config, input_ids, args.compile)
    counted = peer.gflop()
    check_flops(counted, engine_gflop)
    start = time.perf_counter()
    peer.forward()  # warm-up (and compilation)
    warmup_s = time.perf_counter() - start
    samples = [peer.forward() for _ in range(args.runs)]
    stages = {stage: statistics.median(s[stage] for s in samples) for stage in STAGES}
    stages['total'] = statistics.median(sum(s.values()) for s in samples)
    print(json.dumps({'peer': 'torch-compile' if args.compile else 'torch', 'torch': torch.__version__,
                      'threads': args.threads, 'runs': args.runs, 'warmup_s': round(warmup_s, 2),
                      'stages_ms': {k: round(v, 2) for k, v in stages.items()},
                      'gflop_torch': {k: round(v, 3) for k, v in counted.items()},
                      'gflop_engine': engine_gflop}))


if __name__ == '__main__':
    main()
