"""The SHA-256 of a file, read a megabyte at a time (recordings and back-ups can be large):
for model weights, back-up manifests and the recording a transcript was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Protocol


class Readable(Protocol):
    def read(self, size: Any = ..., /) -> Any: ...


def sha256_of_handle(handle: Readable) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_of_handle(handle)
