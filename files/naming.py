"""The one way the archive names a stored file."""

import uuid
from pathlib import PurePosixPath


def random_file_name(folder: str, filename: str) -> str:
    """A random name in `folder`, keeping only the extension, because the name a
    contributor gave a file may identify them."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"
