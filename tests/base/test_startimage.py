"""The start-up image: the gilless modules of a start-up, read from one file, never stale."""

import marshal
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from gilless.base import startimage
from tests.conftest import HOST_PYTHON, child_env

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "gilless"

# What the `gilless` command does, from a copy of the package.
LAUNCH = ("import sys; sys.path.insert(0, sys.argv.pop(1))\n"
          "from gilless.base import startimage\n"
          "startimage.load()\n"
          "from gilless.cli.main import launch\n"
          "status = launch()\n"
          "served = sorted(startimage._served)\n"
          "generated = f'{len(startimage._used)}/{len(startimage._compiled_now)}'\n"
          "sys.__stderr__.write(f'served {generated} {served}\\n')\n"
          "sys.exit(status)\n")


@pytest.fixture
def installation(tmp_path):
    """A copy of gilless, and a cache directory of its own."""
    copy = tmp_path / "site"
    shutil.copytree(PACKAGE, copy / "gilless", ignore=shutil.ignore_patterns("__pycache__"))
    return copy, tmp_path / "cache"


class Run:
    """A start-up's process, its stderr before the report, the modules the image served,
    and how many templates came from the image and were compiled."""

    def __init__(self, result, stderr, served, from_image, compiled):
        self.result, self.stderr, self.served = result, stderr, served
        self.from_image, self.compiled = from_image, compiled


def launch(installation, *args, env=None):
    copy, cache = installation
    result = subprocess.run([HOST_PYTHON, "-c", LAUNCH, str(copy)] + list(args),
                            capture_output=True, text=True,
                            env=child_env({"GILLESS_CACHE_DIR": str(cache), **(env or {})}))
    *stderr, served = result.stderr.splitlines()
    assert served.startswith("served "), result.stderr
    _, generated, served = served.split(" ", 2)
    from_image, compiled = map(int, generated.split("/"))
    return Run(result, "\n".join(stderr), eval(served), from_image, compiled)


def images(installation):
    return sorted(installation[1].glob("*/startup-*.image"))


def test_the_second_start_up_imports_gilless_from_the_image(installation):
    first = launch(installation, "-c", "print('hi')")
    assert (first.result.returncode, first.result.stdout, first.served) == (0, "hi\n", [])
    assert len(images(installation)) == 1
    second = launch(installation, "-c", "print('hi')")
    assert (second.result.returncode, second.result.stdout) == (0, "hi\n")
    assert {"gilless.cli.main", "gilless.objspace.space",
            "gilless.module.sysmodule"} <= set(second.served)
    # The modules imported before the image was read come from their files.
    assert "gilless.base.startimage" not in second.served


def test_the_generated_code_of_a_start_up_comes_from_the_image(installation):
    # (hides_frames makes a wrapper per signature as gilless's modules are imported.)
    first = launch(installation, "-c", "pass")
    assert first.from_image == 0 and first.compiled > 0
    second = launch(installation, "-c", "pass")
    assert second.from_image == first.compiled and second.compiled == 0


def test_a_changed_module_comes_from_its_source_and_the_image_follows(installation):
    launch(installation, "-c", "pass")
    uncaught = installation[0] / "gilless" / "cli" / "uncaught.py"
    source = uncaught.read_text()
    uncaught.write_text(source.replace("def exit_status(", "def _old_exit_status(", 1)
                        + "\ndef exit_status(space, request):\n    return 42\n")
    changed = launch(installation, "-c", "raise SystemExit(3)")
    assert changed.result.returncode == 42
    assert "gilless.cli.uncaught" not in changed.served
    assert "gilless.cli.main" in changed.served
    again = launch(installation, "-c", "raise SystemExit(3)")
    assert again.result.returncode == 42
    assert "gilless.cli.uncaught" in again.served


def test_a_module_imported_later_joins_the_image(installation):
    launch(installation, "-c", "pass")
    # The GIL mode's modules are not imported by a start-up in the default mode.
    assert "gilless.concurrency.gilmode" not in launch(installation, "-X", "gil=1",
                                                       "-c", "pass").served
    assert "gilless.concurrency.gilmode" in launch(installation, "-X", "gil=1",
                                                   "-c", "pass").served
    assert "gilless.cli.main" in launch(installation, "-c", "pass").served


def test_a_damaged_image_is_written_again(installation):
    launch(installation, "-c", "pass")
    [image] = images(installation)
    image.write_bytes(image.read_bytes()[:1000])
    damaged = launch(installation, "-c", "print('hi')")
    assert (damaged.result.returncode, damaged.result.stdout, damaged.stderr,
            damaged.served) == (0, "hi\n", "", [])
    assert "gilless.cli.main" in launch(installation, "-c", "pass").served


def test_modules_whose_code_is_cut_off_come_from_their_source(installation):
    """An image cut short after its header: the modules whose code is whole come from
    it, the others from their files, and the image is whole again afterwards."""
    launch(installation, "-c", "pass")
    everything = launch(installation, "-c", "pass").served
    [image] = images(installation)
    data = image.read_bytes()
    # Half way through the code after the header (its length first, in 8 bytes): the
    # modules' code comes first, then the generated code, which outgrows any fixed cut.
    header_end = 8 + int.from_bytes(data[:8], "little")
    image.write_bytes(data[:(header_end + len(data)) // 2])
    cut = launch(installation, "-c", "print('hi')")
    assert (cut.result.returncode, cut.result.stdout, cut.stderr) == (0, "hi\n", "")
    assert 0 < len(cut.served) < len(everything)
    assert launch(installation, "-c", "pass").served == everything


@pytest.mark.parametrize("option, env", [(["-B"], None), ([], {"GILLESS_CACHE": "0"})])
def test_no_image_is_written_without_the_cache(installation, option, env):
    assert launch(installation, *option, "-c", "pass", env=env).result.returncode == 0
    assert images(installation) == []


def test_a_cache_that_cannot_be_written_is_no_error(installation, tmp_path):
    # (Not a directory: as root, a read-only directory would still be written.)
    blocked = tmp_path / "blocked"
    blocked.write_text("")
    run = launch((installation[0], blocked), "-c", "print('hi')")
    assert (run.result.returncode, run.result.stdout, run.stderr) == (0, "hi\n", "")
    assert blocked.read_text() == ""


def test_each_installation_has_its_own_image(installation, tmp_path):
    launch(installation, "-c", "pass")
    other = tmp_path / "other"
    shutil.copytree(installation[0], other)
    assert launch((other, installation[1]), "-c", "pass").served == []
    assert len(images(installation)) == 2


def test_compiled_is_the_hosts_compilation_kept(monkeypatch):
    source = "def f(a, /, *b, c=1):\n    return a, b, c\n"
    monkeypatch.setattr(startimage, "_generated", {})
    monkeypatch.setattr(startimage, "_compiled_now", {})
    code = startimage.compiled(source, "<template>")
    assert code == compile(source, "<template>", "exec", dont_inherit=True)
    assert list(startimage._compiled_now) == [(source, "<template>")]
    # Found by its text: what the image holds for it is what is run.
    other = compile("x = 2\n", "<template>", "exec")
    startimage._generated[(source, "<template>")] = marshal.dumps(other)
    assert startimage.compiled(source, "<template>") == other
    # A damaged entry is compiled again.
    startimage._generated[(source, "<template>")] = b"\xff"
    assert startimage.compiled(source, "<template>") == code


def test_gilless_run_inside_a_process_writes_no_image(tmp_path):
    """gilless's `main`, called by a host program (as tests do), leaves the image alone."""
    program = ("import sys\nfrom gilless.cli.main import run_command_line\n"
               "sys.exit(run_command_line(['-c', 'pass'], own_process=True))\n")
    result = subprocess.run([HOST_PYTHON, "-c", program], capture_output=True, text=True,
                            env=child_env({"GILLESS_CACHE_DIR": str(tmp_path)}))
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.glob("*/startup-*.image")) == []


def test_the_gilless_command_reads_the_image(tmp_path):
    env = child_env({"GILLESS_CACHE_DIR": str(tmp_path)})
    command = [HOST_PYTHON, os.path.join(os.path.dirname(PACKAGE), "bin", "gilless"), "-c", "pass"]
    subprocess.run(command, check=True, env=env)
    assert len(list(tmp_path.glob("*/startup-*.image"))) == 1
    probe = ("import sys\nfrom gilless.base import startimage\nstartimage.load()\n"
             "import gilless.cli.main\nprint(sorted(startimage._served))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, check=True)
    assert "gilless.cli.main" in eval(result.stdout)
