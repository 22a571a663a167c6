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


# A function of `__main__`'s (with a global, a closure cell and a nested function whose
# code the mode instrumented), pickled by value with cloudpickle as joblib's process
# pools send it to their workers; the host reads it back and runs it.
PICKLING_PROGRAM = textwrap.dedent("""
    import sys
    import cloudpickle

    counter = {"calls": 0}
    SOURCE = "def twice(x):\\n    return [x, x]\\n"
    made = {}
    exec(compile(SOURCE, "<made>", "exec"), made)


    def work(x):
        step = 10
        def scaled(y):
            return y * step
        counter["calls"] += 1
        return scaled(x) + counter["calls"]

    with open(sys.argv[1], "wb") as file:
        file.write(cloudpickle.dumps((work, made["twice"])))
    print(work(1), made["twice"](2))
""")

UNPICKLING_PROGRAM = textwrap.dedent("""
    import pickle
    import sys

    with open(sys.argv[1], "rb") as file:
        work, twice = pickle.load(file)
    print(work(2), twice(3))
""")


@pytest.mark.parametrize("mode", [("-X", "race"), ("-X", "schedule=random:1")])
def test_code_pickled_by_value_is_the_hosts(tmp_path, mode):
    pytest.importorskip("cloudpickle")
    program = tmp_path / "pickling.py"
    program.write_text(PICKLING_PROGRAM)
    reader = tmp_path / "unpickling.py"
    reader.write_text(UNPICKLING_PROGRAM)
    written = tmp_path / "functions.pickle"
    result = run_gilless(*mode, str(program), str(written))
    assert (result.stdout, result.returncode) == ("11 [2, 2]\n", 0), result.stderr
    read = run_cpython(str(reader), str(written))
    assert (read.stdout, read.returncode) == ("21 [3, 3]\n", 0), read.stderr
