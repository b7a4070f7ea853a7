"""The install step assembles the Whisper weights from their packages and refuses files
that do not match the pinned checksums, with a message that says what to do."""

import shutil

import pytest

from transcription import modelstore


def test_installed_models_verify(whisper_models):
    for name in modelstore.MODELS:
        directory = modelstore.verify(name)
        assert (directory / "model.bin").stat().st_size > 50_000_000


def test_base_is_assembled_from_its_two_halves(tmp_path, whisper_models):
    directory = modelstore.assemble("base", root=tmp_path)
    assert sorted(p.name for p in directory.iterdir()) == [
        "config.json",
        "model.bin",
        "tokenizer.json",
        "vocabulary.txt",
    ]
    assert not list(tmp_path.glob("*.partial"))


def test_a_corrupt_model_fails_with_a_clear_message(tmp_path, whisper_models):
    directory = tmp_path / modelstore.MODELS["tiny.en"].directory
    shutil.copytree(modelstore.model_dir("tiny.en"), directory)
    with (directory / "model.bin").open("r+b") as handle:
        handle.seek(1000)
        handle.write(b"\0\1\2\3")
    with pytest.raises(
        modelstore.ModelError, match=r"SHA-256 .* expected .*make transcription-models"
    ):
        modelstore.verify("tiny.en", root=tmp_path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(modelstore.ModelError, match="is missing; run `make transcription-models`"):
        modelstore.verify("tiny.en", root=tmp_path)


def test_install_command_reports_failure(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRANSCRIPTION_MODELS_DIR", str(tmp_path))
    monkeypatch.setitem(modelstore.MODELS["tiny.en"].sha256, "config.json", "0" * 64)
    assert modelstore.main(["tiny.en"]) == 1
    assert "error: Whisper tiny.en" in capsys.readouterr().err
