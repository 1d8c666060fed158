"""Starts `vla-node run` as a subprocess on its own ports, for the bridge to drive."""
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port_pair(start=5600, stop=6600):
    """The first port p in [start, stop) such that p and p + 1 are both free on 127.0.0.1."""
    def free(port):
        with socket.socket() as probe:
            try:
                probe.bind(('127.0.0.1', port))
            except OSError:
                return False
        return True
    for port in range(start, stop, 2):
        if free(port) and free(port + 1):
            return port
    raise RuntimeError(f'no two free consecutive TCP ports in {start}–{stop - 1}')


class NodeProcess:
    """`vla-node run --launch LAUNCH` with its camera and instruction topics connected to
    tcp://127.0.0.1:`port` (the bridge binds it) and its chunk and latency topics bound at
    tcp://127.0.0.1:`port`+1; `overrides` (key.path=value) come after the addresses. Its log goes to
    a temporary file, shown when it fails. Relative paths in the launch file are relative to `cwd`
    (default: this process's working directory)."""

    def __init__(self, binary, launch, port, overrides=(), cwd=None):
        self.inputs = f'tcp://127.0.0.1:{port}'
        self.outputs = f'tcp://127.0.0.1:{port + 1}'
        addresses = [f'node.topics.camera.connect={self.inputs}', f'node.topics.instruction.connect={self.inputs}',
                     f'node.topics.action_chunk.bind={self.outputs}', f'node.topics.latency.bind={self.outputs}']
        self._log = tempfile.TemporaryFile(mode='w+')
        self._process = subprocess.Popen([str(binary), 'run', '--launch', str(launch), *addresses, *overrides],
                                         stdout=self._log, stderr=subprocess.STDOUT, cwd=cwd)

    def check(self):
        """Raises RuntimeError with the node's log if it has exited."""
        if self._process.poll() is not None:
            self._log.seek(0)
            raise RuntimeError(f'vla-node exited with status {self._process.returncode}:\n{self._log.read()[-4000:]}')

    def stop(self):
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()


def default_binary(repository):
    """The release build of vla-node if present, else the debug one."""
    release = Path(repository) / '.build' / 'release' / 'vla-node'
    return release if release.exists() else Path(repository) / '.build' / 'debug' / 'vla-node'
