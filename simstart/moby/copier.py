"""``daemon/logger/copier.go``: what the container writes to stdout and stderr goes, line by
line, to its log driver (for json-file, ``<id>-json.log`` in the container's directory)."""

from __future__ import annotations

import json

from ..world.containers import Container
from .context import Daemon, Steps, go


@go("logger.(*Copier).copySrc", "daemon/logger/copier.go", 45, 123)
def copy_src(d: Daemon, c: Container, stream: str) -> Steps:
    """Read the stream's fifo; each line becomes one ``logger.Message``."""
    path = f"{c.croot()}/{c.id}-json.log"
    for text in getattr(c.behaviour, stream):
        if c.host_config.log_driver == "json-file" and path in d.world.files:
            record = {"log": text + "\n", "stream": stream, "time": d.world.timestamp()}
            d.world.files[path] = d.world.files[path] + json.dumps(
                record, separators=(",", ":")) + "\n"
        yield d.emit("process.output", 89, stream=stream, line=text,
                     driver=c.host_config.log_driver)
    return None
