"""Run every ```console block of the README and compare (or rewrite) what it shows.

A console block is a list of ``$ command`` lines, each followed by the output it prints
(stdout and stderr together, as a terminal shows them). A command continues on the next
lines while a quote is open, a line ends in ``\\``, or a here-document (``<<'EOF'``) is
open. A ``...`` output line stands for any number of lines. A command ending in ``&``
starts a background server: the runner waits until its port accepts connections, shows
the first line it prints, and stops it at the end (or when another server takes its port).
README ports are mapped to free ports, and back in the output, so a server already
listening on 8000 does not matter.

Every block runs, in README order, in a scratch copy of the project (data/ copied, so
``kg link --accept`` writing data/links.ttl leaves the repository alone; tests/ and
scripts/ linked), with ``kg`` and ``python`` meaning this environment's.

Usage::

    python scripts/readme_console.py           # check: print the differences, exit 1 if any
    python scripts/readme_console.py --write   # rewrite the README's outputs from real runs
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_PORT = re.compile(r"(?:127\.0\.0\.1:|--port[ =])(\d{4,5})\b")
_HEREDOC = re.compile(r"<<-?\s*'?(\w+)'?\s*$")


@dataclass
class Command:
    """One ``$`` command of a block and the output the README shows for it."""

    text: str
    expected: list[str] = field(default_factory=list)
    actual: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A console block: where it is in the README and its commands."""

    start: int  # offset of the block's body in the README
    end: int
    commands: list[Command]

    def render(self, use_actual: bool) -> str:
        lines = []
        for c in self.commands:
            lines.append("$ " + c.text)
            lines += _merge(c.expected, c.actual) if use_actual else c.expected
        return "\n".join(lines) + "\n"


def _open(text: str) -> bool:
    """Whether a command is not finished: open quote or trailing backslash."""
    without_escaped = re.sub(r"\\.", "", text)
    quotes = without_escaped.count("'") % 2 == 1
    return quotes or text.endswith("\\")


def parse_blocks(readme: str) -> list[Block]:
    """Split the README's console blocks into commands and their expected output."""
    blocks = []
    for match in _BLOCK.finditer(readme):
        commands: list[Command] = []
        lines = match.group(1).splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("$ "):
                text = line[2:]
                heredoc = _HEREDOC.search(text)
                while _open(text) and i + 1 < len(lines):
                    i += 1
                    text += "\n" + lines[i]
                if heredoc:
                    while i + 1 < len(lines):
                        i += 1
                        text += "\n" + lines[i]
                        if lines[i].strip() == heredoc.group(1):
                            break
                commands.append(Command(text))
            elif commands:
                commands[-1].expected.append(line)
            i += 1
        blocks.append(Block(match.start(1), match.end(1), commands))
    return blocks


#: Elapsed times ("in 0.5 s") vary from run to run; they are compared as "in <time>".
_ELAPSED = re.compile(r"\bin \d+(?:\.\d+)? ?(?:s|ms)\b")


def _normal(line: str) -> str:
    return _ELAPSED.sub("in <time>", line.rstrip())


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line match, where an expected ``...`` line stands for any number of lines.

    Trailing spaces and elapsed times ("in 0.5 s") are not compared.
    """
    pattern = "".join(
        r"(?:.*\n)*?" if line.strip() == "..." else re.escape(_normal(line)) + r"\n"
        for line in expected
    )
    text = "".join(_normal(line) + "\n" for line in actual)
    return re.fullmatch(pattern, text) is not None


def _merge(expected: list[str], actual: list[str]) -> list[str]:
    """The output to write: the README's if it matches, else the actual one.

    When the README elides lines (``...``), the actual lines kept are those whose first
    word the README showed, with ``...`` where others were left out.
    """
    if matches(expected, actual):
        return expected
    if not any(line.strip() == "..." for line in expected):
        return actual
    shown = {line.split()[0] for line in expected if line.strip() and line.strip() != "..."}
    out: list[str] = []
    for line in actual:
        if not line.strip() or line.split()[0] in shown or line.startswith(" "):
            out.append(line)
        elif not out or out[-1] != "...":
            out.append("...")
    return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sandbox:
    """A scratch project folder where the README's commands run, and their servers."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="kg-readme-"))
        shutil.copytree(ROOT / "data", self.dir / "data")
        shutil.copy(ROOT / "kg.toml", self.dir / "kg.toml")
        for name in ("tests", "scripts", "docs"):
            (self.dir / name).symlink_to(ROOT / name)
        bin_dir = self.dir / ".bin"
        bin_dir.mkdir()
        (bin_dir / "kg").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m kg "$@"\n')
        (bin_dir / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        for shim in bin_dir.iterdir():
            shim.chmod(0o755)
        venv_bin = Path(sys.executable).parent
        path = os.pathsep.join([str(bin_dir), str(venv_bin), os.environ.get("PATH", "")])
        self.env = {k: v for k, v in os.environ.items() if k != "KG_ROOT"}
        self.env.update(PATH=path, COLUMNS="200", NO_COLOR="1")
        self.ports: dict[str, str] = {}  # README port -> port used here
        self.servers: dict[str, subprocess.Popen] = {}  # README port -> process
        self.logs: dict[str, object] = {}  # README port -> the server's output file

    def _map(self, text: str) -> str:
        def swap(match: re.Match) -> str:
            port = match.group(1)
            if port not in self.ports:
                self.ports[port] = str(_free_port())
            return match.group(0).replace(port, self.ports[port])

        return _PORT.sub(swap, text)

    def _unmap(self, text: str) -> str:
        # paths inside the scratch folder are shown relative to it, as in the README
        text = text.replace(f"{self.dir.resolve()}/", "").replace(f"{self.dir}/", "")
        for readme_port, port in self.ports.items():
            text = re.sub(rf"(?<=127\.0\.0\.1:){port}\b", readme_port, text)
            text = re.sub(rf"(?<=--port ){port}\b", readme_port, text)
        return text

    def run(self, command: str, timeout: float = 300) -> list[str]:
        """Run one command; its output lines (stdout and stderr as a terminal shows them)."""
        text = self._map(command)
        if text.rstrip().endswith("&"):
            return self._background(command, text.rstrip()[:-1])
        done = subprocess.run(
            ["bash", "-c", text + "\n"],
            cwd=self.dir,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
        )
        return self._unmap(done.stdout).splitlines()

    def _background(self, command: str, text: str) -> list[str]:
        ports = _PORT.findall(command) or ["8000"]  # kg serve's default
        readme_port = ports[0]
        if readme_port not in self.ports:
            self.ports[readme_port] = str(_free_port())
        port = self.ports[readme_port]
        if "--port" not in text and "--bind" not in text and "kg serve" in text:
            text = text.replace("kg serve", f"kg serve --port {port}", 1)
        self._stop(readme_port)
        # the log lives as long as the server; closed with it, when the process goes
        log = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen(
            ["bash", "-c", f"exec {text}"],
            cwd=self.dir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers[readme_port] = process
        self.logs[readme_port] = log
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", int(port))) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"{command!r} did not listen: {log.read().decode()}")
            time.sleep(0.05)
        time.sleep(0.2)  # let its first line be written
        log.seek(0)
        first = log.read().decode(errors="replace").splitlines()[:1]
        return [self._unmap(line) for line in first if line.startswith("kg serve:")]

    def _stop(self, readme_port: str) -> None:
        process = self.servers.pop(readme_port, None)
        if process is None:
            return
        self.logs.pop(readme_port).close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        # the port is free again once the process is gone
        time.sleep(0.1)

    def close(self) -> None:
        for port in list(self.servers):
            self._stop(port)
        shutil.rmtree(self.dir, ignore_errors=True)


def run_readme(readme_path: Path = README) -> tuple[str, list[Block]]:
    """Run every console block; return the README text and the blocks with their outputs."""
    readme = readme_path.read_text(encoding="utf-8")
    blocks = parse_blocks(readme)
    sandbox = Sandbox()
    try:
        for block in blocks:
            for command in block.commands:
                command.actual = sandbox.run(command.text)
    finally:
        sandbox.close()
    return readme, blocks


def differences(blocks: list[Block]) -> list[str]:
    """A unified diff for each command whose output differs from the README's."""
    out = []
    for block in blocks:
        for c in block.commands:
            if not matches(c.expected, c.actual):
                diff = difflib.unified_diff(
                    c.expected, c.actual, "README", "actual", lineterm="", n=1
                )
                out.append(f"$ {c.text}\n" + "\n".join(diff))
    return out


def rewrite(readme: str, blocks: list[Block]) -> str:
    """``readme`` with the outputs of the commands that ran replaced by their real ones.

    ``readme`` may be newer than the text that ran (someone edited it meanwhile): commands
    are matched by their text, in order, and everything else is kept as it is.
    """
    ran: dict[str, list[list[str]]] = {}
    for block in blocks:
        for c in block.commands:
            ran.setdefault(c.text, []).append(_merge(c.expected, c.actual))
    current = parse_blocks(readme)
    for block in current:  # in README order, so a repeated command gets its own output
        for c in block.commands:
            outputs = ran.get(c.text)
            if outputs:
                c.expected = outputs.pop(0) if len(outputs) > 1 else outputs[0]
    for block in reversed(current):
        readme = readme[: block.start] + block.render(use_actual=False) + readme[block.end :]
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the README's outputs")
    args = parser.parse_args(argv)
    readme, blocks = run_readme()
    if args.write:
        # re-read: the README may have been edited while the commands ran
        README.write_text(rewrite(README.read_text(encoding="utf-8"), blocks), encoding="utf-8")
        print(f"rewrote the outputs of {sum(len(b.commands) for b in blocks)} commands")
        return 0
    found = differences(blocks)
    for diff in found:
        print(diff, end="\n\n")
    print(f"{len(found)} of {sum(len(b.commands) for b in blocks)} commands differ")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
