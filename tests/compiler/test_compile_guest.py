"""compile_guest: the guest's compile() semantics on top of the host compiler."""

import ast

import pytest

from gilless.compiler import CompileOptions, compile_guest


def test_only_ast_returns_the_tree():
    tree = compile_guest("x = 1", "<t>", "exec", flags=ast.PyCF_ONLY_AST)
    assert isinstance(tree, ast.Module)
    assert isinstance(tree.body[0], ast.Assign)


def test_tree_input_compiles():
    tree = ast.parse("result = 6 * 7")
    namespace = {}
    exec(compile_guest(tree, "<tree>", "exec"), namespace)
    assert namespace["result"] == 42


def test_syntax_error_names_the_guest_file():
    with pytest.raises(SyntaxError) as info:
        compile_guest("x = = 1\n", "/guest/prog.py", "exec")
    assert info.value.filename == "/guest/prog.py"
    assert info.value.lineno == 1
    assert info.value.offset == 5


def test_code_keeps_guest_file_and_lines():
    code = compile_guest("\n\ndef f():\n    return 1\n", "/guest/lines.py", "exec")
    function_code = next(c for c in code.co_consts if hasattr(c, "co_name"))
    assert code.co_filename == "/guest/lines.py"
    assert function_code.co_firstlineno == 3


def test_optimize_levels():
    source = '"""doc"""\nassert False\n'
    namespace = {}
    with pytest.raises(AssertionError):
        exec(compile_guest(source, "<o0>", "exec"), namespace)
    exec(compile_guest(source, "<o1>", "exec", options=CompileOptions(optimize=1)), namespace)
    assert namespace["__doc__"] == "doc"
    namespace = {}
    exec(compile_guest(source, "<o2>", "exec", options=CompileOptions(optimize=2)), namespace)
    assert namespace.get("__doc__") is None


def test_future_flags_are_honoured():
    import __future__
    flags = __future__.annotations.compiler_flag
    namespace = {}
    exec(compile_guest("def f(a: Undefined): pass", "<f>", "exec", flags=flags), namespace)
    assert namespace["f"].__annotations__ == {"a": "Undefined"}
    with pytest.raises(NameError):
        exec(compile_guest("def f(a: Undefined): pass", "<f>", "exec"), {})


def test_instrumented_mode_leaves_the_guest_tree_alone():
    tree = ast.parse("total = 0\nfor i in range(3):\n    total += i\n")
    before = ast.dump(tree, include_attributes=True)
    namespace = {}
    exec(compile_guest(tree, "<gil>", "exec", options=CompileOptions(gil=True)), namespace)
    assert namespace["total"] == 3
    assert ast.dump(tree, include_attributes=True) == before


def test_instrumented_mode_reports_tree_errors_as_cpython():
    bad = ast.Module(body=[ast.Expr(ast.Name("x", ast.Store()))], type_ignores=[])
    with pytest.raises(TypeError) as expected:
        compile(bad, "<bad>", "exec")
    with pytest.raises(TypeError) as actual:
        compile_guest(bad, "<bad>", "exec", options=CompileOptions(gil=True))
    assert str(actual.value) == str(expected.value)
    with pytest.raises(ValueError, match=r"must be 'exec', 'eval' or 'single'$"):
        compile_guest("x", "<f>", "bogus", options=CompileOptions(gil=True))


def test_the_only_ast_flag_is_the_hosts():
    # gilless keeps its own copy, so that compiling code does not import `ast`.
    from gilless.compiler import options
    assert options.PyCF_ONLY_AST == ast.PyCF_ONLY_AST
