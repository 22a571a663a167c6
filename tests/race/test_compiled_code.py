"""Code that the instrumented modes compile holds the event runtime among its constants,
which `marshal` cannot write; the guest's `marshal` writes it as the host compiles the
source (so that a `.pyc` or a template engine's cache is plain code any Python reads)."""

import textwrap

import pytest

from conftest import run_cpython, run_gilless

PROGRAM = textwrap.dedent("""
    import marshal
    import sys

    SOURCE = "table = {}\\ntable['a'] = 1\\nclass P:\\n    x = table['a']\\n"
    code = compile(SOURCE, "<cached>", "exec")
    data = marshal.dumps(code)
    namespace = {}
    exec(marshal.loads(data), namespace)
    print(namespace["P"].x)
    # What was written names nothing of gilless: the host's marshal reads plain code.
    constants = [repr(c) for c in marshal.loads(data).co_consts]
    print(any("gilless" in c for c in constants))
    with open(sys.argv[1], "wb") as file:
        marshal.dump(code, file)
""")

READER = textwrap.dedent("""
    import marshal
    import sys

    with open(sys.argv[1], "rb") as file:
        code = marshal.load(file)
    namespace = {}
    exec(code, namespace)
    print(namespace["P"].x)
""")


@pytest.mark.parametrize("mode", [("-X", "race"), ("-X", "schedule=random:1")])
def test_compiled_code_is_written_as_the_host_compiles_it(tmp_path, mode):
    program = tmp_path / "dump.py"
    program.write_text(PROGRAM)
    reader = tmp_path / "load.py"
    reader.write_text(READER)
    written = tmp_path / "code.bin"
    expected = run_cpython(str(program), str(written))
    result = run_gilless(*mode, str(program), str(written))
    assert expected.stdout == "1\nFalse\n", expected.stderr
    assert (result.stdout, result.returncode) == (expected.stdout, 0), result.stderr
    # The host itself reads the file gilless wrote.
    read = run_cpython(str(reader), str(written))
    assert (read.stdout, read.returncode) == ("1\n", 0), read.stderr
