"""The start path of moby v17.05.0-ce, one module per Go source file it models (DESIGN.md,
layer 3). ``server.make_http_handler`` is where a request enters."""

from .context import Daemon, Emit, Frame
from .server import HTTPRequest, HTTPResponse, make_http_handler

__all__ = ["Daemon", "Emit", "Frame", "HTTPRequest", "HTTPResponse", "make_http_handler"]
