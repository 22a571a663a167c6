"""Import cases real packages hit, each a small package tree run under gilless
and under the host CPython: the same output, errors and exit status."""

import textwrap

import pytest

from conftest import run_cpython, run_gilless


def write_tree(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def assert_same_as_cpython(tmp_path, files, program="main.py", options=()):
    write_tree(tmp_path, files)
    expected = run_cpython(program, cwd=tmp_path)
    actual = run_gilless(*options, program, cwd=tmp_path)
    assert (actual.stdout, actual.stderr, actual.returncode) == \
        (expected.stdout, expected.stderr, expected.returncode)
    return expected


# `import a.b.c as x` while `a.b` and `a.b.c` are still initialising: CPython
# reads the submodules from its module table (what `import sympy` does).
CIRCULAR_IMPORT_AS = {
    "a/__init__.py": "",
    "a/b/__init__.py": """
        print("a.b start")
        from . import c
        print("a.b end", c.d.__name__)
    """,
    "a/b/c.py": """
        import a.b.d as d
        print("a.b.c has", d.__name__)
    """,
    "a/b/d.py": """
        import a.b.c as c
        import a.b as b
        print("a.b.d has", c.__name__, b.__name__)
    """,
    "main.py": """
        import a.b
        print(a.b.c.__name__, a.b.c.d is a.b.d)
    """,
}


# The instrumented modes put their own entry point between `import` and gilless's.
MODES = pytest.mark.parametrize("options", [(), ("-X", "race"), ("-X", "gil=1")],
                                ids=["default", "race", "gil"])


@MODES
def test_circular_import_as_resolves_through_the_module_table(tmp_path, options):
    result = assert_same_as_cpython(tmp_path, CIRCULAR_IMPORT_AS, options=options)
    assert result.returncode == 0 and "a.b.d has a.b.c a.b" in result.stdout


@MODES
def test_circular_import_as_from_a_package_top(tmp_path, options):
    # `pkg` itself is initialising when its submodule names itself through it.
    assert_same_as_cpython(tmp_path, options=options, files={
        "pkg/__init__.py": "from pkg import sub\nprint('pkg', sub.me.__name__)\n",
        "pkg/sub.py": "import pkg.sub as me\nprint('sub', me.__name__)\n",
        "main.py": "import pkg\n",
    })


def test_modules_put_in_sys_modules_by_hand(tmp_path):
    # Found by IMPORT_FROM in the module table though never bound on the package.
    result = assert_same_as_cpython(tmp_path, {
        "pkg/__init__.py": """
            import sys, types
            sys.modules[__name__ + ".virtual"] = types.ModuleType(__name__ + ".virtual")
        """,
        "main.py": """
            import pkg.virtual as v
            print(v.__name__)
            from pkg import virtual
            print(virtual is v)
        """,
    })
    assert result.stdout == "pkg.virtual\nTrue\n"


def test_plain_dotted_import_binds_nothing_early(tmp_path):
    # Without `as` nothing reads the attribute: it is bound when the import ends.
    result = assert_same_as_cpython(tmp_path, {
        "pkg/__init__.py": "from . import sub\n",
        "pkg/sub.py": "import pkg.sub\nimport pkg\nprint(hasattr(pkg, 'sub'))\n",
        "main.py": "import pkg\nprint(hasattr(pkg, 'sub'))\n",
    })
    assert result.stdout == "False\nTrue\n"


@pytest.mark.parametrize("statement", ["import pkg.missing as m", "from pkg import missing"])
def test_a_submodule_neither_bound_nor_in_the_table(tmp_path, statement):
    assert_same_as_cpython(tmp_path, {
        "pkg/__init__.py": "from . import sub\n",
        "pkg/sub.py": f"import sys\ntry:\n    {statement}\nexcept ImportError as e:\n"
                      "    print(type(e).__name__, e)\n",
        "main.py": "import pkg\n",
    })

