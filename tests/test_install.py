"""A non-editable install works from any folder: ``python -m build``, the wheel in a fresh venv.

The sdist and the wheel are built with ``python -m build --no-isolation`` (the wheel from the
sdist, as pip does), so both are checked to carry the ontology, vocabularies, shapes, named
queries and the article's graph. The wheel goes into a new venv outside the repository with
``--no-deps --no-index`` (nothing is downloaded); the venv sees this environment's
site-packages through a ``.pth`` line, for kg's dependencies only (the editable kg's finder is
not run from there, so the venv's ``import kg`` is the wheel's). Then ``kg stats``, ``kg
queries``, ``kg query``, ``kg render`` and ``kg serve`` run from an empty temporary folder.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import tarfile
import time
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from kg.serve.testing import free_port

ROOT = Path(__file__).resolve().parent.parent
STATE = "https://w3id.org/kg-ir/ontology#State"
PACKAGED = [
    "ontology/kg.ttl",
    "ontology/vocabularies.ttl",
    "ontology/shapes.ttl",
    "ontology/queries/alliance_memberships.rq",
    "data/triples.ttl",
]


def _run(*args, cwd: Path, env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The sdist and the wheel of this checkout."""
    out = tmp_path_factory.mktemp("dist")
    env = {k: v for k, v in os.environ.items() if k != "KG_ROOT"}
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, cwd=out, env=env)
    (wheel,) = out.glob("kg-*.whl")
    (sdist,) = out.glob("kg-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> dict:
    """A fresh venv holding the wheel, and an empty folder outside the repository."""
    base = tmp_path_factory.mktemp("installed")
    target = base / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # kg's dependencies come from this environment; kg itself only from the wheel.
    Path(purelib, "kg_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("KG_ROOT", "PYTHONPATH")}
    env["PATH"] = f"{target / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    work = base / "work"
    work.mkdir()
    pip = [sys.executable, "-m", "pip", "--python", python, "install", "--quiet"]
    _run(*pip, "--no-deps", "--no-index", built["wheel"], cwd=work, env=env)
    return {"kg": target / "bin" / "kg", "python": python, "cwd": work, "env": env}


def test_sdist_and_wheel_carry_the_package_data(built):
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
    for path in PACKAGED:
        assert f"kg/resources/{path}" in names, path
    queries = {p.name for p in (ROOT / "ontology" / "queries").glob("*.rq")}
    assert {Path(n).name for n in names if n.startswith("kg/resources/ontology/queries/")} == (
        queries
    )
    assert any(n.startswith("kg/render/assets/") for n in names)
    with tarfile.open(built["sdist"]) as sdist:
        members = {Path(*Path(m).parts[1:]).as_posix() for m in sdist.getnames()}
    assert set(PACKAGED) <= members and "setup.py" in members


def test_installed_kg_is_the_wheel_not_this_checkout(installed):
    where = _run(
        installed["python"], "-c", "import kg; print(kg.__file__)", **_at(installed)
    ).stdout
    assert str(ROOT) not in where and "site-packages" in where


def _at(installed) -> dict:
    return {"cwd": installed["cwd"], "env": installed["env"]}


def test_stats_queries_and_query_from_an_empty_folder(installed):
    kg = installed["kg"]
    counts = json.loads(_run(kg, "stats", "--json", **_at(installed)).stdout)
    here = json.loads(
        _run(sys.executable, "-m", "kg", "stats", "--json", cwd=ROOT, env=installed["env"]).stdout
    )
    assert counts == here  # the article's graph, as in the repository
    listed = _run(kg, "queries", **_at(installed)).stdout
    assert "alliance_memberships" in listed and "in_force_as_of" in listed
    answer = _run(kg, "query", "alliance_memberships", "--format", "json", **_at(installed))
    assert any(row.get("stateLabel") == "Armenia" for row in json.loads(answer.stdout))
    mine = installed["cwd"] / "mine.ttl"
    mine.write_text(
        "<https://w3id.org/kg-ir/resource/X> a <https://w3id.org/kg-ir/ontology#State> .\n"
    )
    only = json.loads(_run(kg, "--data", mine, "stats", "--json", **_at(installed)).stdout)
    assert only["states"] == 1


def test_render_from_an_empty_folder(installed):
    out = installed["cwd"] / "out" / "alliance.html"
    _run(installed["kg"], "render", "alliance", "-o", out, **_at(installed))
    page = out.read_text(encoding="utf-8")
    assert "<html" in page.lower() and "Armenia" in page


def test_serve_from_an_empty_folder(installed):
    port = free_port()
    process = subprocess.Popen(
        [installed["kg"], "serve", "--port", str(port), "--workers", "0"],
        cwd=installed["cwd"],
        env=installed["env"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert process.poll() is None, process.stderr.read().decode()
            assert time.monotonic() < deadline, "kg serve did not listen"
            time.sleep(0.1)
        response = httpx.get(
            f"http://127.0.0.1:{port}/sparql",
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{STATE}> }}"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) >= 10
        page = httpx.get(f"http://127.0.0.1:{port}/sparql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<html" in page.text
        examples = httpx.get(f"http://127.0.0.1:{port}/queries", timeout=30)
        assert "alliance_memberships" in examples.text  # the installed named queries
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)


def test_not_found_errors_say_where_kg_looked_and_how_to_point_elsewhere(installed):
    missing = subprocess.run(
        [installed["kg"], "query", "nosuch_query_at_all"],
        capture_output=True,
        text=True,
        **_at(installed),
    )
    assert missing.returncode == 2
    assert "unknown query" in missing.stderr and "known queries:" in missing.stderr
    assert "site-packages/kg/resources/ontology/queries" in missing.stderr  # where kg looked
    nodata = subprocess.run(
        [installed["kg"], "--data", "absent.ttl", "stats"],
        capture_output=True,
        text=True,
        **_at(installed),
    )
    assert nodata.returncode == 2
    assert f"no such file: absent.ttl (looked in {installed['cwd']})" in nodata.stderr
