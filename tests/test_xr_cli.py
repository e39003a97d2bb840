"""``talkdown run --vr`` end to end against a headless Monado (simulated headset), and the
fallbacks when there is no headset: a one-line error with --vr, the desk without it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from engine_support import virtual_display, wait_for
from xr_support import ROOT, monado_manifest

MANIFEST, WHY = monado_manifest()


def talkdown(args, env, cwd):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XR_RUNTIME_JSON") and not k.startswith(("XRT_", "SIMULATED_", "P_"))}
    return subprocess.run([sys.executable, "-m", "game", "run", *args], cwd=cwd, env={**clean, **env},
                          capture_output=True, text=True, timeout=300)


@pytest.mark.xr
@pytest.mark.render
@pytest.mark.skipif(MANIFEST is None, reason=WHY)
def test_run_vr_runs_a_session_in_the_headset_and_exits_cleanly(tmp_path):
    env = {"XR_RUNTIME_JSON": str(MANIFEST), "XRT_COMPOSITOR_NULL": "1", "XRT_LOG": "error",
           "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="talkdown-monado-"), "SIMULATED_ENABLE": "1",
           "SIMULATED_LEFT": "simple", "SIMULATED_RIGHT": "simple", "TALKDOWN_XR_EYE": "96x72",
           "PYTHONPATH": str(ROOT)}
    result = talkdown(["--vr", "--duration", "1", "--out", str(tmp_path)], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "headset 'Monado: Simulated HMD' (stage space)" in result.stdout
    (run,) = [p for p in Path(tmp_path).iterdir() if p.is_dir()]
    info = json.loads((run / "run.json").read_text())
    assert info["mode"] == "vr" and info["finish_reason"] == "duration" and info["rendered_frames"] > 0
    types = {json.loads(line)["type"] for line in (run / "journal.jsonl").read_text().splitlines()}
    assert {"Move", "HandMove", "SessionEnded"} <= types
    assert info["frames"] and all((run / f["file"]).is_file() for f in info["frames"])
    png = (run / info["frames"][0]["file"]).read_bytes()  # the trainee's left eye, not the mirror window
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (96, 72)
    from panda3d.core import Filename, PNMImage

    image = PNMImage()
    assert image.read(Filename.from_os_specific(str(run / info["frames"][0]["file"])))
    grey = [image.get_bright(x, y) for x in range(0, 96, 4) for y in range(0, 72, 4)]
    assert max(grey) - min(grey) > 0.1, "the eye's frame is blank: it was saved before the eyes were rendered"


def test_run_vr_without_a_runtime_says_so_in_one_line(tmp_path):
    env = {"XR_RUNTIME_JSON": str(tmp_path / "no-such-runtime.json"), "PYTHONPATH": str(ROOT)}
    result = talkdown(["--vr", "--out", str(tmp_path)], env, tmp_path)
    assert result.returncode == 1
    (line,) = [x for x in result.stderr.splitlines() if x.startswith("talkdown:")]
    assert line.startswith("talkdown: error: ") and "OpenXR runtime" in line
    assert not [p for p in Path(tmp_path).iterdir() if p.is_dir()]  # nothing recorded


@pytest.mark.render
def test_plain_run_without_a_headset_goes_on_at_the_desk(tmp_path):
    env = {"XR_RUNTIME_JSON": str(tmp_path / "no-such-runtime.json"), "PYTHONPATH": str(ROOT)}
    result = talkdown(["--duration", "0.5", "--size", "80x60", "--out", str(tmp_path)], env, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [x for x in result.stdout.splitlines() if "no headset" in x]
    assert len(lines) == 1 and lines[0].endswith("running at the desk")
    assert "OpenXR-Loader" not in result.stderr  # one line from us, not the loader's own errors


@pytest.mark.xr
@pytest.mark.window
@pytest.mark.skipif(MANIFEST is None, reason=WHY)
@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed (python3 tools/bootstrap.py test installs it)")
def test_run_vr_with_a_display_binds_the_windows_glx_context_and_mirrors_it(tmp_path):
    with virtual_display(121, 160, "640x480x24") as display:
        env = {"DISPLAY": display, "XR_RUNTIME_JSON": str(MANIFEST), "XRT_COMPOSITOR_NULL": "1",
               "XRT_LOG": "error", "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="talkdown-monado-"),
               "SIMULATED_ENABLE": "1", "TALKDOWN_XR_EYE": "96x72", "PYTHONPATH": str(ROOT)}
        result = talkdown(["--vr", "--duration", "1", "--size", "160x120", "--out", str(tmp_path)], env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    (run,) = [p for p in Path(tmp_path).iterdir() if p.is_dir()]
    info = json.loads((run / "run.json").read_text())
    assert info["mode"] == "vr" and info["rendered_frames"] > 0


@pytest.mark.xr
@pytest.mark.window
@pytest.mark.skipif(MANIFEST is None, reason=WHY)
@pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
                    reason="Xvfb and xdotool are not installed (python3 tools/bootstrap.py test installs them)")
def test_in_the_headset_the_desks_mirror_is_the_instructors_console_and_its_keys_reach_the_journal(tmp_path):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DISPLAY", "WAYLAND_DISPLAY", "XR_RUNTIME_JSON") and not k.startswith(("XRT_", "SIMULATED_", "P_"))}
    env = {**clean, "XR_RUNTIME_JSON": str(MANIFEST), "XRT_COMPOSITOR_NULL": "1", "XRT_LOG": "error",
           "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="talkdown-monado-"), "SIMULATED_ENABLE": "1",
           "TALKDOWN_XR_EYE": "96x72", "PYTHONPATH": str(ROOT)}

    def xdo(*args):
        return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=20).stdout

    def journal():
        runs = [p for p in tmp_path.iterdir() if p.is_dir()]
        return (runs[0] / "journal.jsonl").read_text() if runs and (runs[0] / "journal.jsonl").exists() else ""

    with virtual_display(161, 200, "640x480x24") as display:
        env["DISPLAY"] = display
        proc = subprocess.Popen([sys.executable, "-m", "game", "run", "--vr", "--duration", "60", "--size", "320x240",
                                 "--out", str(tmp_path)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            assert wait_for(lambda: bool(xdo("search", "--name", "Talkdown").strip()), 40.0)
            assert wait_for(lambda: journal().count("StateSampled") >= 2, 40.0)
            window = xdo("search", "--name", "Talkdown").split("\n")[0]
            xdo("windowfocus", "--sync", window)
            time.sleep(0.3)
            xdo("key", "Prior")  # page up: escalate
            assert wait_for(lambda: '"type":"Escalate"' in journal(), 40.0)
            xdo("key", "F12")
            time.sleep(0.2)
            xdo("key", "F12")  # end, confirmed
            output, _ = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, output[-3000:]
    records = [json.loads(line) for line in journal().splitlines()]
    assert [(r["type"], r["source"]) for r in records if r["source"] == "instructor"][:2] == [
        ("Escalate", "instructor"), ("EndSession", "instructor")]
    assert any(r["type"] == "Move" for r in records)  # the head, from the headset
    (run,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert json.loads((run / "run.json").read_text())["mode"] == "vr"
