"""Content files a careless or hostile user hands the game: each is refused in one located line
by the one reader every content file goes through, quickly, never a traceback or a hang."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.cli import main as talkdown
from game.content.errors import ContentError
from game.content.located import MAX_BYTES, MAX_DEPTH, read_located

ROOT = Path(__file__).resolve().parent.parent
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes in the file system are POSIX-only")


def talkdown_process(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command in its own process, killed after a minute: a hang fails the test instead of hanging it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def input_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "input"
    shutil.copytree(ROOT / "input", folder, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return folder


def deeply_nested(levels: int) -> str:
    return "device: desktop\n" + "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "end\n"


def test_a_deeply_nested_input_file_is_one_located_line_from_validate_not_a_recursion_error(tmp_path, capsys):
    folder = input_folder(tmp_path)
    (folder / "desktop.yaml").write_text("device: desktop\nkeys: " + "[" * 900 + "]" * 900 + "\n")
    assert talkdown(["validate", str(folder)]) == 1
    out = capsys.readouterr().out.splitlines()
    (line,) = [x for x in out if "desktop.yaml" in x]
    assert "nests too deeply" in line and "Traceback" not in "\n".join(out)


def test_nesting_a_little_deeper_than_the_limit_is_refused_where_it_goes_too_deep(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text(deeply_nested(MAX_DEPTH + 5))
    with pytest.raises(ContentError) as caught:
        read_located(str(path), "deep.yaml")
    (p,) = caught.value.problems
    assert p.line == MAX_DEPTH + 3 and "more than" in p.message  # the first value below the limit's last key


def test_an_oversized_input_file_is_refused_before_any_of_it_is_parsed(tmp_path, capsys, monkeypatch):
    import yaml

    def guarded(parse):
        def parse_small(stream, *args, **kwargs):
            size = len(stream) if isinstance(stream, (str, bytes)) else os.fstat(stream.fileno()).st_size
            if size > MAX_BYTES:
                raise AssertionError("an oversized file was handed to the YAML parser")
            return parse(stream, *args, **kwargs)
        return parse_small

    for name in ("safe_load", "load", "compose", "parse"):
        monkeypatch.setattr(yaml, name, guarded(getattr(yaml, name)))
    folder = input_folder(tmp_path)
    line = "  - " + "x" * 76 + "\n"
    (folder / "voice.yaml").write_text("phrases:\n" + line * (8 * 1024 * 1024 // len(line)))
    assert (folder / "voice.yaml").stat().st_size > MAX_BYTES
    assert talkdown(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "voice.yaml: file is too large" in out
    assert "5 of 6 file(s) valid" in out


@needs_fifo
def test_a_fifo_given_to_validate_is_refused_in_one_line(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    result = talkdown_process("validate", "pipe.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "pipe.yaml: is a named pipe (FIFO), not a plain file" in result.stdout
    assert "Traceback" not in result.stderr


@needs_fifo
def test_a_fifo_found_in_a_folder_given_to_validate_is_refused_and_the_rest_are_checked(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / "welfare_check.yaml", folder)
    shutil.copytree(ROOT / "scenarios" / "scripts", folder / "scripts")
    os.mkfifo(folder / "a_pipe.yaml")
    result = talkdown_process("validate", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert "a_pipe.yaml: is a named pipe (FIFO)" in result.stdout
    assert "1 of 2 file(s) valid" in result.stdout


@needs_fifo
@pytest.mark.parametrize("option", ["--tools", "--script"])
def test_a_fifo_given_to_a_run_file_option_is_refused_in_one_line_before_anything_runs(tmp_path, option):
    os.mkfifo(tmp_path / "pipe.yaml")
    result = talkdown_process("run", "welfare_check", "--offscreen", "--no-records", "--out", "runs",
                              option, "pipe.yaml", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert line == "pipe.yaml: is a named pipe (FIFO), not a plain file: content is read only from plain files"
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs a character device")
def test_a_device_is_refused_instead_of_read_for_ever(tmp_path):
    with pytest.raises(ContentError) as caught:
        read_located("/dev/zero")
    assert "is a device, not a plain file" in str(caught.value)


@needs_fifo
def test_a_fifo_given_as_a_recording_is_refused_in_one_line_instead_of_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe.wav")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
    code = ("from game.voice.audio import read_wav\n"
            "try:\n    read_wav('pipe.wav')\nexcept ValueError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=60, stdin=subprocess.DEVNULL)
    assert result.stdout.strip() == "is a named pipe (FIFO), not a plain file: content is read only from plain files"
