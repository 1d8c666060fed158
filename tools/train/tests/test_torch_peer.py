"""The PyTorch peer benchmark (tools/bench/torch_peer.py, peer_table.py): the cognition-only prefill
it times equals the full prefill, its FLOPs (torch's FlopCounterMode) match the engine's analytic
count for the same preset, and the table divides the right numbers."""
import json
import subprocess
import sys

import pytest
import torch

from conftest import BINARY, REPO
from llama import CognitionPrefill, LlamaModel

sys.path.insert(0, str(REPO / "tools" / "bench"))
import peer_table  # noqa: E402
import torch_peer  # noqa: E402

LLM = {"hidden": 64, "layers": 3, "heads": 4, "kv_heads": 2, "intermediate": 96, "vocab": 50, "rms_norm_eps": 1e-5,
       "rope_theta": 10000.0}


def test_the_cognition_prefill_is_the_last_row_of_the_full_prefill():
    torch.manual_seed(0)
    llama = LlamaModel(LLM).eval()
    embeddings = torch.randn(2, 23, LLM["hidden"])
    with torch.no_grad():
        full = llama(embeddings)[-1][:, -1]
        fast = CognitionPrefill(llama)(embeddings)
    # fp32, one layer's attention and MLP over 1 row instead of 23: only summation order differs
    torch.testing.assert_close(fast, full, rtol=1e-5, atol=1e-6)


@pytest.fixture(scope="module")
def tiny_description(tmp_path_factory):
    out = tmp_path_factory.mktemp("peer") / "describe.json"
    result = subprocess.run([str(BINARY), "bench", "--preset", "tiny", "--flops-only", "--json"],
                            capture_output=True, text=True, check=True)
    out.write_text(result.stdout)
    return out


def test_the_peer_does_the_engines_work_on_the_tiny_preset(tiny_description, capsys):
    described = json.loads(tiny_description.read_text())
    assert described["sequence_tokens"] == 256 + len(described["input_ids"])
    torch_peer.main(["--describe", str(tiny_description), "--runs", "1", "--threads", "1"])
    report = json.loads(capsys.readouterr().out)
    for stage in torch_peer.STAGES:
        ours, theirs = described["gflop"][stage], report["gflop_torch"][stage]
        assert abs(theirs - ours) <= torch_peer.FLOP_TOLERANCE * ours, (stage, theirs, ours)
        if stage != "action":  # only the DiT's conditioning is computed differently
            assert abs(theirs - ours) <= 1e-3 * ours, (stage, theirs, ours)
        assert report["stages_ms"][stage] > 0
    assert report["stages_ms"]["total"] >= report["stages_ms"]["llm"]


def test_a_peer_doing_other_work_is_refused():
    engine = {"vision": 1.0, "projector": 1.0, "llm": 10.0, "action": 1.0}
    with pytest.raises(SystemExit, match="llm is 10.3000 GFLOP in torch"):
        torch_peer.check_flops({**engine, "llm": 10.3}, engine)
    torch_peer.check_flops({**engine, "llm": 10.1}, engine)  # 1 %: the same work


def test_the_table_reports_medians_and_torch_over_engine():
    def engine(round_, total):
        rows = [{"stage": s, "ms": total / 5, "gflop": 10.0} for s in ("vision", "projector", "llm", "action")]
        return {"peer": "vla-node", "round": round_, "sgemm_peak_gflop_per_s": 100.0,
                "rows": rows + [{"stage": "total", "ms": total, "gflop": 40.0}]}

    def torch_run(round_, total):
        return {"peer": "torch", "round": round_, "stages_ms": {"vision": total / 4, "projector": total / 4,
                                                                 "llm": total / 4, "action": total / 4, "total": total}}
    records = [engine(1, 500), torch_run(1, 1000), engine(2, 400), torch_run(2, 1200), engine(3, 450), torch_run(3, 900)]
    text = peer_table.markdown(records)
    assert "| total | 450 ms | 1000 ms (2.22×) |" in text  # medians 450 and 1000
    assert "| llm | 90 ms | 250 ms (2.78×) |" in text
    assert "3 interleaved rounds" in text and "89 GFLOP/s, 89 % of the sgemm peak" in text


@pytest.mark.parametrize("text", ["", "{not json", '{"config": {}}', "[1, 2]"])
def test_a_file_that_is_not_a_bench_description_is_refused_by_name(tmp_path, text):
    path = tmp_path / "describe.json"
    path.write_text(text)
    with pytest.raises(SystemExit, match="is not the output of `vla-node bench --flops-only --json`"):
        torch_peer.main(["--describe", str(path)])
    with pytest.raises(SystemExit, match="is not the output"):
        torch_peer.main(["--describe", str(tmp_path / "missing.json")])
