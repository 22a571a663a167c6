"""The runtime's layers point one way, and no module imports itself back.

Every import statement in `gilless/` counts, also those inside functions
(the lazy imports that keep start-up fast are still dependencies). The layer
order is the one `gilless/__init__.py` and the README state.

A test rather than import-linter's contracts: the graph library under
import-linter has a compiled core with no build for the free-threaded host,
and this runs wherever the suite does.
"""

import ast
import pathlib
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "gilless"

# Top to bottom. A package may import from the layers below its own, never from
# one above; packages sharing a layer are independent of each other. The root
# module (`gilless`: the version) is below them all.
LAYERS = (
    ("gilless.__main__",),
    ("gilless.cli",),
    ("gilless.objspace",),
    # The tools that watch guest code, which a Space installs: the race detector, the
    # schedule explorer and the thread profiler, independent of each other.
    ("gilless.race", "gilless.schedule", "gilless.threadprof"),
    # What the tools share above the events: lock-order checking.
    ("gilless.lockorder",),
    ("gilless.concurrency",),
    # The instrumentation layer: the access events that instrumented code calls and
    # the synchronisation events of the guest _thread, which the tools consume.
    ("gilless.instrument",),
    ("gilless.module",),
    ("gilless.compiler",),
    ("gilless.base",),
    ("gilless.userdirs",),
)


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def runtime_modules():
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_names(module, path, known):
    """The gilless modules that the import statements of `module` name, anywhere in it."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor.pop()
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import submodule` depends on the submodule.
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
    return found


def import_graph():
    modules = runtime_modules()
    return {module: imported_names(module, path, modules) for module, path in modules.items()}


def layer_of(module):
    for index, layer in enumerate(LAYERS):
        for package in layer:
            if module == package or module.startswith(package + "."):
                return index, package
    return len(LAYERS), "gilless"


def layer_violations(graph):
    violations = []
    for importer, imported in sorted(graph.items()):
        importer_layer, importer_package = layer_of(importer)
        for target in sorted(imported):
            target_layer, target_package = layer_of(target)
            if target_package == importer_package:
                continue
            if target_layer <= importer_layer:
                how = "a sibling" if target_layer == importer_layer else "a higher layer"
                violations.append(f"{importer} imports {target}, {how}")
    return violations


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index = {}
    lowlink = {}
    stack = []
    on_stack = set()
    components = []

    def visit(node):
        index[node] = lowlink[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                lowlink[node] = min(lowlink[node], lowlink[successor])
            elif successor in on_stack:
                lowlink[node] = min(lowlink[node], index[successor])
        if lowlink[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_every_package_is_in_a_layer():
    packages = {module.split(".")[1] for module in runtime_modules() if "." in module}
    placed = {package.split(".")[1] for layer in LAYERS for package in layer}
    assert packages <= placed


def test_layers_point_one_way():
    assert layer_violations(import_graph()) == []


def test_no_import_cycles():
    assert cycles(import_graph()) == []


def test_the_checks_see_function_level_imports_and_cycles():
    # What the two tests above rely on, on a graph of their own.
    graph = {"gilless.module.a": {"gilless.objspace.b"}, "gilless.objspace.b": {"gilless.module.a"}}
    assert layer_violations(graph) == ["gilless.module.a imports gilless.objspace.b, a higher layer"]
    assert cycles(graph) == [["gilless.module.a", "gilless.objspace.b"]]
    lazy = imported_names("gilless.compiler.lowering", PACKAGE / "compiler" / "lowering.py",
                          runtime_modules())
    assert "gilless.compiler.switchpoints" in lazy


@pytest.mark.parametrize("sentence_file", ["gilless/__init__.py", "README.md"])
def test_the_stated_order_is_the_checked_one(sentence_file):
    text = (PACKAGE.parent / sentence_file).read_text()
    # The sentence that begins with the top layer.
    sentence = text[text.find("`gilless.cli` ("):]
    sentence = sentence[:sentence.find(".\n")]
    order = [layer[0] for layer in LAYERS[1:]]
    positions = [sentence.find(f"`{package}`") for package in order]
    assert -1 not in positions and positions == sorted(positions), positions


def _after_a_run(command, report, then=""):
    """What the expression `report` is in a fresh host process that ran `gilless -c
    command` in-process, and then the statements `then`: `before` names the host's
    modules before gilless was imported, `modules_left` is the guest's module table as
    the program left it (the exit empties it, as CPython's empties its own, and sets
    the guest's `sys.stdout`, which the host's stands for, to None). The host runs
    without its `site`, whose `.pth` files (an editable installation's) would
    import modules before gilless does."""
    import subprocess
    probe = ("import sys\n"
             f"sys.path.insert(0, {str(PACKAGE.parent)!r})\n"
             "before = set(sys.modules)\n"
             "from gilless.cli.main import run_command_line\n"
             "from gilless.cli import shutdown\n"
             "modules_left = {}\n"
             "clear_modules = shutdown._clear_modules\n"
             "def keep_and_clear(space):\n"
             "    modules_left.update(space.modules)\n"
             "    clear_modules(space)\n"
             "shutdown._clear_modules = keep_and_clear\n"
             f"run_command_line(['-c', {command!r}])\n"
             f"{then}\n"
             f"print(repr({report}), file=sys.__stdout__)\n")
    result = subprocess.run([sys.executable, "-S", "-c", probe], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip())


def test_the_default_mode_loads_no_tool():
    """A threaded program in the default mode imports none of the tools' runtimes, nor
    the instrumentation layer they consume."""
    tools = ("gilless.race", "gilless.schedule", "gilless.threadprof", "gilless.lockorder",
             "gilless.instrument", "gilless.compiler.accesses")
    program = ("import threading, queue\n"
               "t = threading.Thread(target=queue.Queue().put, args=(1,)); t.start(); t.join()")
    assert _after_a_run(program, f"sorted(name for name in sys.modules "
                                 f"if name.startswith({tools!r}))") == []


def test_the_start_up_loads_no_host_module_it_can_do_without():
    """`-c pass` in the default mode imports none of the host's modules that gilless needs
    only for some programs (each costs every start-up; `python -m benchmarks.startup`
    measures what a start-up costs). Guest modules entered in the host's table aside."""
    loaded = set(_after_a_run("pass", "[name for name, module in sys.modules.items() "
                                      "if name not in before and module not in "
                                      "modules_left.values()]"))
    # (`traceback` and `re` are imported where they are needed: see
    # gilless.base.hostimports.)
    unneeded = {"ast", "sysconfig", "ctypes", "threading", "weakref", "opcode", "importlib",
                "importlib.machinery", "gilless.compiler.frontend", "traceback", "linecache",
                "tokenize", "textwrap", "re", "enum", "functools", "collections", "contextlib",
                "types"}
    assert loaded & unneeded == set()
    assert "gilless.objspace.space" in loaded


def test_a_host_module_imported_after_start_up_imports_the_hosts_modules():
    """gilless imports some host modules only where it needs them (printing a
    traceback), when the host's module table may hold guest modules: a guest `import
    json` enters the guest's `json.decoder` there, where `_json`'s C code looks it up.
    The host's own `json.decoder` imported then is the host's, and so are the modules
    it imports; the guest's goes back into the table."""
    then = ("from gilless.base.hostimports import host_module, is_guest_module\n"
            "guest = sys.modules['json.decoder']\n"
            "host = host_module('json.decoder')\n")
    report = ("guest is modules_left['json.decoder'], is_guest_module(guest), "
              "is_guest_module(host), is_guest_module(host.scanner), "
              "host.JSONDecodeError is guest.JSONDecodeError, "
              "sys.modules['json.decoder'] is guest, host_module('json.decoder') is host, "
              "is_guest_module(host_module('traceback'))")
    assert _after_a_run("import json", f"({report})", then) == (
        True, True, False, False, False, True, True, False)
