"""Real HTTP servers on 127.0.0.1 for the tests: never a mock of the HTTP client.

`serve()` runs any handler on a free port in a thread and always shuts it
down; `QuietHandler` keeps pytest's output clean and writes whole answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that logs nothing and answers with one call."""

    def send_body(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(
    handler: Callable[..., BaseHTTPRequestHandler],
    server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer,
    **attributes: Any,
) -> Iterator[Any]:
    """Serve `handler` on 127.0.0.1 (a free port) from a thread; yield the server.

    `attributes` are set on the server before it starts (e.g. a request log).
    """
    server = server_class(("127.0.0.1", 0), handler)
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def base_url(server: ThreadingHTTPServer) -> str:
    """`http://127.0.0.1:<port>` of a running server."""
    return f"http://127.0.0.1:{server.server_address[1]}"
