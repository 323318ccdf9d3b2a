"""The start path of moby v17.05.0-ce, one module per Go source file it models (DESIGN.md,
layer 3). ``server.serve_http`` (gorilla mux's ``ServeHTTP``) is where a request enters.

Names: each ``@go`` function is named the snake_case of its Go function or method, without
the receiver (``(*endpoint).sbJoin`` → ``endpoint.sb_join``, ``(*Daemon).ContainerRm`` →
``start.container_rm``). Two rules settle the names that would collide in one module:

- an exported and an unexported Go name that differ only in the case of their first letter:
  the exported one keeps the plain name, the unexported one takes a leading underscore, as Go's
  lower-case initial marks it package-private (``ContainerStart`` → ``start.container_start``,
  ``containerStart`` → ``start._container_start``);
- the same method name on two receivers: both take the receiver's type as a prefix
  (``(*initProcess).start`` → ``runc.init_process_start``, ``(*process).Start`` →
  ``runc.process_start``; ``(*worker).Start`` → ``containerd.worker_start``,
  ``(*container).Start`` → ``containerd.container_start``).
"""

from .context import Daemon, Emit, Frame
from .server import HTTPRequest, HTTPResponse, routed, serve_http, target

__all__ = ["Daemon", "Emit", "Frame", "HTTPRequest", "HTTPResponse", "routed", "serve_http",
           "target"]
