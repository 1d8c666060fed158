#!/usr/bin/env python3
"""Ask a running vla-node's service (node.service in the launch file) for its metadata, health and
statistics, or reset its episode. Requests and replies are JSON objects over a ZeroMQ REQ socket:

    python examples/python/vla_service.py --endpoint tcp://127.0.0.1:5560 info
    python examples/python/vla_service.py --endpoint tcp://127.0.0.1:5560 reset

As a library: NodeServiceClient(endpoint).info() returns the reply as a dict; a reply with
"ok": false raises ServiceError; no reply within the timeout raises TimeoutError (the socket is then
re-made, so the client can carry on: a REQ socket that missed its reply cannot send again).
"""
import argparse
import json

import zmq

OPERATIONS = ("info", "ping", "reset", "stats")


class ServiceError(RuntimeError):
    """The node refused a request; the message is the node's explanation."""


class NodeServiceClient:
    """A REQ client of the node service."""

    def __init__(self, endpoint, timeout_s=5.0, context=None):
        self.endpoint = endpoint
        self.timeout_ms = int(timeout_s * 1000)
        self.context = context or zmq.Context.instance()
        self.socket = None
        self._connect()

    def _connect(self):
        if self.socket is not None:
            self.socket.close(linger=0)
        self.socket = self.context.socket(zmq.REQ)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.connect(self.endpoint)

    def request(self, op, **fields):
        """Sends {"op": op, ...fields} and returns the reply; raises ServiceError or TimeoutError."""
        self.socket.send(json.dumps({"op": op, **fields}).encode())
        if not self.socket.poll(self.timeout_ms, zmq.POLLIN):
            self._connect()
            raise TimeoutError(f"no reply from {self.endpoint} within {self.timeout_ms} ms")
        reply = json.loads(self.socket.recv())
        if not reply.get("ok"):
            raise ServiceError(reply.get("error", "the node refused the request"))
        return reply

    def info(self):
        """Version, chunk shape (horizon, action_dim), control rate, action columns, statistics, settings."""
        return self.request("info")

    def ping(self):
        """Uptime, inference count, seconds since the last inference, last error, episode."""
        return self.request("ping")

    def reset(self):
        """Ends the episode: clears the node's chunk history and temporal caches."""
        return self.request("reset")

    def stats(self):
        """Latency percentiles and counters (the node's periodic log line, as JSON)."""
        return self.request("stats")

    def close(self):
        self.socket.close(linger=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default="tcp://127.0.0.1:5560", help="the node service's address")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the reply")
    parser.add_argument("op", choices=OPERATIONS)
    args = parser.parse_args()
    client = NodeServiceClient(args.endpoint, args.timeout)
    try:
        print(json.dumps(client.request(args.op), indent=2, sort_keys=True))
    finally:
        client.close()


if __name__ == "__main__":
    main()
