"""The node's own time beyond the model, per inference: `vla-node run` on a model (default: the
trained MetaWorld policy, launch/sim.yaml) driven in lock-step over ZeroMQ by this process, which
sends a frame, waits for the chunk computed from it and reads the matching InferenceLatency. The
node records its inputs to a temporary bag, whose log times are the node's receive times: they
split the frame's way into the node (this process's serialisation and send, ZeroMQ and TCP) from
the node's own work.

Per inference, from the latency report, the chunk and the bag:
- transport: frame stamp → the node's receive (the sender's CDR serialisation, pyzmq, loopback TCP,
  libzmq's receive); not the node's work, shown next to the same messages sent to a bare pyzmq
  subscriber process at the same pace;
- model: vision + projector + LLM + action head, the forward itself;
- tick wait: from the end of the inference to the control tick that published its chunk (the
  fixed control rate's own wait, reported apart);
- node overhead: end_to_end − transport − model − tick wait, the node's own time, made of
  hand-off (receive → the inference thread takes the frame), decode (image decode and
  preprocessing), engine other (the rest of the policy call: prompt, noise, caches), post and
  publish (from the tick's deadline to the chunk sent: the control thread's wake-up, encoding,
  and a libzmq send, whose cost after idling is shown for a bare pyzmq send too).

Prints a Markdown table of medians, p95 and maxima, with the CPU and the load before and after.
usage: node_overhead.py --binary .build/release/vla-node [--launch launch/sim.yaml] [--frames 200]
"""
import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import zmq
from mcap.reader import make_reader

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / 'tools' / 'sim'))
from node_link import CAMERA_TOPIC, CHUNK_TOPIC, IMAGE, NodeLink, stamp_ns  # noqa: E402  (puts tools/interop on the path)
from interop_common import make_typestore  # noqa: E402
from node_process import NodeProcess, free_port_pair  # noqa: E402


def breakdown(report, chunk, received_ns):
    """The per-inference figures (ms) of one latency report, the chunk it describes and the node's
    receive time of its frame (ns, the bag's log time)."""
    model = report['vision_ms'] + report['projector_ms'] + report['llm_ms'] + report['action_head_ms']
    inference_end_ns = chunk.observation_stamp_ns + (report['frame_age_ms'] + report['inference_ms']) * 1e6
    tick_wait = max(0.0, (chunk.tick_stamp_ns - inference_end_ns) / 1e6)
    transport = (received_ns - chunk.observation_stamp_ns) / 1e6
    engine_other = report['inference_ms'] - report['decode_ms'] - model - report['post_ms']
    publish = report['end_to_end_ms'] - report['frame_age_ms'] - report['inference_ms'] - tick_wait
    return {'end to end': report['end_to_end_ms'], 'transport': transport, 'model': model, 'tick wait': tick_wait,
            'node overhead': report['end_to_end_ms'] - transport - model - tick_wait,
            'hand-off': report['frame_age_ms'] - transport, 'decode': report['decode_ms'],
            'engine other': engine_other, 'post': report['post_ms'], 'publish': publish}


def receive_times(bag_path, topic):
    """Node receive time (log time, ns) of every frame on `topic` in the bag, by header stamp (ns);
    a stamp the bag holds more than once (a frame resent while the node was starting) is left out."""
    store = make_typestore()
    times, repeated = {}, set()
    with open(bag_path, 'rb') as stream:
        for _, _, message in make_reader(stream).iter_messages(topics=[topic]):
            stamp = stamp_ns(store.deserialize_cdr(message.data, IMAGE).header.stamp)
            if stamp in times:
                repeated.add(stamp)
            times[stamp] = message.log_time
    return {stamp: time for stamp, time in times.items() if stamp not in repeated}


def loopback_transport(count, size, pace_s):
    """Median ms from stamping to receiving the same two messages (instruction, rgb8 frame), sent by
    NodeLink every `pace_s` seconds (the node run's pace, so the receiver idles between frames as
    the node does) to a bare pyzmq SUB in another process: the transport without the node."""
    port = free_port_pair()
    link = NodeLink(f'tcp://127.0.0.1:{port}', f'tcp://127.0.0.1:{port + 1}')  # its outputs stay unused
    receiving, results = multiprocessing.Pipe()
    receiver = multiprocessing.Process(target=receive_frames, args=(f'tcp://127.0.0.1:{port}', count, receiving))
    receiver.start()
    try:
        link.set_instruction('reach the red ball')
        sample_frames = frames(count + 1, size, size, seed=1)
        first = next(sample_frames)
        while not results.poll(0.1):  # PUB drops messages until the subscription has joined
            link.send_frame(first, 0)
        results.recv()
        time.sleep(0.5)  # past the receiver's drain of the joining frames
        samples = []
        for frame in sample_frames:
            time.sleep(pace_s)
            stamp = time.time_ns()
            link.send_frame(frame, stamp)
            samples.append((results.recv() - stamp) / 1e6)
        return statistics.median(samples)
    finally:
        receiver.join(timeout=5)
        receiver.kill()
        link.close()


def receive_frames(address, count, results):
    """The loopback's receiver process: reports its receive time (ns) of each camera message."""
    context = zmq.Context()
    subscriber = context.socket(zmq.SUB)
    subscriber.setsockopt(zmq.SUBSCRIBE, CAMERA_TOPIC)
    subscriber.connect(address)
    subscriber.recv_multipart()
    results.send(0)  # joined
    while subscriber.poll(200):  # frames resent while joining
        subscriber.recv_multipart()
    for _ in range(count):
        subscriber.recv_multipart()
        results.send(time.time_ns())
    context.destroy(linger=0)


def idle_send(count, idle_s, size=700):
    """Median ms of one pyzmq PUB send of a chunk-sized two-frame message to a connected SUB, each
    after `idle_s` of idling (the control thread idles a period between ticks): what waking
    libzmq's I/O thread costs on this machine, which the node's publish pays too."""
    context = zmq.Context()
    try:
        publisher, subscriber = context.socket(zmq.PUB), context.socket(zmq.SUB)
        port = publisher.bind_to_random_port('tcp://127.0.0.1')
        subscriber.setsockopt(zmq.SUBSCRIBE, b'')
        subscriber.connect(f'tcp://127.0.0.1:{port}')
        while not subscriber.poll(10):  # PUB drops messages until the subscription has joined
            publisher.send_multipart([CHUNK_TOPIC, b'x'])
        samples = []
        for _ in range(count):
            while subscriber.poll(0):
                subscriber.recv_multipart()
            time.sleep(idle_s)
            start = time.perf_counter_ns()
            publisher.send_multipart([CHUNK_TOPIC, bytes(size)])
            samples.append((time.perf_counter_ns() - start) / 1e6)
        return statistics.median(samples)
    finally:
        context.destroy(linger=0)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def table(rows):
    lines = ['| per inference (ms) | median | p95 | max |', '|---|---|---|---|']
    for key in rows[0]:
        values = [row[key] for row in rows]
        lines.append(f'| {key} | {statistics.median(values):.3f} | {percentile(values, 0.95):.3f} | {max(values):.3f} |')
    return '\n'.join(lines)


def frames(count, height, width, seed=0):
    """A fixed scene with fresh sensor noise per frame (a camera never repeats a frame exactly)."""
    rng = np.random.default_rng(seed)
    scene = rng.integers(0, 256, size=(height, width, 3)).astype(np.int16)
    for _ in range(count):
        yield np.clip(scene + rng.integers(-2, 3, size=scene.shape), 0, 255).astype(np.uint8)


def cpu_model():
    for line in Path('/proc/cpuinfo').read_text().splitlines():
        if line.startswith('model name'):
            return line.split(':', 1)[1].strip()
    return 'unknown'


def measure(binary, launch, count, warmup, size):
    port = free_port_pair()
    with tempfile.TemporaryDirectory() as directory:
        bag = Path(directory) / 'inputs.mcap'
        node = NodeProcess(binary, launch, port, overrides=[f'node.record.path={bag}'], cwd=ROOT)
        link = NodeLink(f'tcp://127.0.0.1:{port}', f'tcp://127.0.0.1:{port + 1}')
        measured = []
        try:
            link.set_instruction('reach the red ball')
            for index, frame in enumerate(frames(warmup + count, size, size)):
                chunk = link.chunk_for(frame, time.time_ns(), check=node.check)
                report = matching_report(link, chunk)
                if index >= warmup:
                    measured.append((report, chunk))
        finally:
            link.close()
            node.stop()
        received = receive_times(bag, CAMERA_TOPIC.decode())
    return [breakdown(report, chunk, received[chunk.observation_stamp_ns])
            for report, chunk in measured if chunk.observation_stamp_ns in received]


def matching_report(link, chunk, timeout_s=5):
    """The InferenceLatency of the inference that computed `chunk`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        report = next((r for r in link.latencies if r['inference_sequence'] == chunk.inference_sequence), None)
        if report is not None:
            return report
        link.receive(50)
    raise RuntimeError(f'no latency report for inference {chunk.inference_sequence}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--binary', default=str(ROOT / '.build/release/vla-node'), help='the vla-node executable (release)')
    parser.add_argument('--launch', default=str(ROOT / 'launch/sim.yaml'), help='launch file of the node under test')
    parser.add_argument('--frames', type=int, default=200, help='measured inferences')
    parser.add_argument('--warmup', type=int, default=5, help='inferences not counted, first')
    parser.add_argument('--size', type=int, default=224, help='frame height and width (rgb8)')
    arguments = parser.parse_args()
    if arguments.frames < 1 or arguments.warmup < 0 or arguments.size < 1:
        parser.error('--frames and --size must be at least 1, --warmup at least 0')
    load_before = os.getloadavg()[0]
    rows = measure(arguments.binary, arguments.launch, arguments.frames, arguments.warmup, arguments.size)
    loopback = loopback_transport(arguments.frames, arguments.size, statistics.median(row['end to end'] for row in rows) / 1e3)
    print(f'CPU: {cpu_model()}; load {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; '
          f'{len(rows)} inferences of {Path(arguments.launch).name}, {arguments.size}×{arguments.size} rgb8 frames')
    print(table(rows))
    print(f'one pyzmq PUB send of a chunk-sized message after 50 ms idle / after 1 ms idle: median '
          f'{idle_send(50, 0.05):.3f} / {idle_send(50, 0.001):.3f} ms')
    print(f'transport without the node (the same messages at the same pace to a bare pyzmq subscriber process): median {loopback:.3f} ms')


if __name__ == '__main__':
    main()
