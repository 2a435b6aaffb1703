"""Build hook: the wheel carries the repository's ontology/ and data/ as kg/resources/.

The top-level ontology/ and data/ folders stay the source of truth (editable installs and
the tests read them in place). When a wheel is built, whole folders are copied, so a file
added under them (a new vocabulary, a crosswalk, a query) is packaged without listing it.
The sdist carries them too (MANIFEST.in), so a wheel built from the sdist has them.
Everything else is configured in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
#: Top-level folders copied into the package, as kg/resources/<name>.
RESOURCES = ("ontology", "data")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


class build_py_with_resources(build_py):
    """build_py, then copy RESOURCES into the built package (not for editable installs)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable kg reads the folders in place (see kg/paths.py)
        target = Path(self.build_lib) / "kg" / "resources"
        for name in RESOURCES:
            source = HERE / name
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing; it is kg's package data")
            if (target / name).exists():
                shutil.rmtree(target / name)  # no stale files from an earlier build
            shutil.copytree(source, target / name, ignore=_SKIP)


setup(cmdclass={"build_py": build_py_with_resources})
