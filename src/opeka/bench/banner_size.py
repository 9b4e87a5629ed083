"""Banner weight: what a first visit downloads for the banner (JS + CSS, gzip -9).

Opeka's banner is measured beside vanilla-cookieconsent and Klaro, installed from the npm
registry into a temporary folder (``npm install --prefix``, scripts disabled). Without npm or
the registry their rows say n/a; the bench never fails for that.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import tempfile
from pathlib import Path

from opeka.bench.results import Result
from opeka.cookies.assets import banner_size

GOAL = 6000  # bytes; the anchors' sizes are in decimal kilobytes
# package → the files its documented one-tag setup loads (Klaro's bundle includes its CSS).
OTHERS: dict[str, tuple[str, ...]] = {
    "vanilla-cookieconsent": ("dist/cookieconsent.umd.js", "dist/cookieconsent.css"),
    "klaro": ("dist/klaro.js",),
}


def gzip_size(data: bytes) -> int:
    """Bytes after ``gzip -9``."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def _kb(size: int) -> str:
    return f"{size / 1000:.1f} KB ({size:,} B)"


def _install(folder: Path) -> dict[str, str]:
    """Install the other banners; their versions (empty when npm is unavailable)."""
    npm = shutil.which("npm")
    if npm is None:
        return {}
    command = [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund"]
    command += ["--ignore-scripts", "--no-save", "--loglevel=error", *OTHERS]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=300)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return {}
    versions = {}
    for name in OTHERS:
        manifest = folder / "node_modules" / name / "package.json"
        if manifest.exists():
            text = manifest.read_text(encoding="utf-8")
            versions[name] = text.split('"version"', 1)[1].split('"')[1]
    return versions


def measure() -> list[Result]:
    """Opeka's banner size against the goal, and the others' in the same units."""
    ours = banner_size()
    results = [
        Result(
            "cookie banner JS + CSS, gzip -9 (Opeka)",
            "-",
            _kb(ours),
            "≤ 6 KB",
            ours <= GOAL,
        )
    ]
    with tempfile.TemporaryDirectory(prefix="opeka-banners-") as tmp:
        folder = Path(tmp)
        versions = _install(folder)
        for name, files in OTHERS.items():
            paths = [folder / "node_modules" / name / f for f in files]
            if name in versions and all(p.exists() for p in paths):
                size = sum(gzip_size(p.read_bytes()) for p in paths)
                value, label = _kb(size), f"{name} {versions[name]}"
            else:
                value, label = "n/a", name
            results.append(Result(f"  {label}, same measure", "-", value, "", None))
    return results
