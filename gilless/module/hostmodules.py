"""Host C modules the guest may import as they are.

Guest objects are host objects, so a host C module such as `math`, `_sre`
or `_collections` works on them unchanged. The guest gets a fresh module
object with the host module's namespace, so neither side sees the other's
attribute assignments. A few host modules reach into the host interpreter's
own state (its `sys.modules`, its `warnings`, its `asyncio`); those are left
out, and the guest's standard library falls back to its pure-Python code.
"""

import importlib
import os
import sys
import sysconfig
import types

from gilless.base.state import world

# Host modules that the guest must not share. Reasons:
#   sys, builtins, _imp, _thread, _warnings: gilless's own (gilless.module).
#   _pickle: finds classes through the host's sys.modules; `pickle` falls back to Python.
#   _asyncio: imports the host's asyncio package; `asyncio` falls back to Python.
#   _elementtree: imports the host's xml package; ElementTree falls back to Python.
#   _frozen_importlib*, _testcapi and friends, interpreters: host internals.
NOT_SHARED = frozenset({
    "sys", "builtins", "_imp", "_thread", "_warnings",
    "_pickle", "_asyncio", "_elementtree",
    "_frozen_importlib", "_frozen_importlib_external", "_testcapi", "_testinternalcapi",
    "_testbuffer", "_testimportmultiple", "_testmultiphase", "_testsinglephase",
    "_testclinic", "_testclinic_limited", "_testexternalinspection", "_testlimitedcapi",
    "_ctypes_test", "_xxsubinterpreters", "_xxinterpchannels", "_xxinterpqueues",
    "_interpreters", "_interpchannels", "_interpqueues", "xxsubtype", "xxlimited",
    "xxlimited_35", "_xxtestfuzz",
})


def _extension_module_names():
    """The C modules of the host's standard library that are shared libraries."""
    directory = os.path.join(host_platstdlib(), "lib-dynload")
    names = set()
    try:
        entries = os.listdir(directory)
    except OSError:
        return names
    for entry in entries:
        if entry.endswith(".so") or entry.endswith(".pyd"):
            names.add(entry.split(".", 1)[0])
    return names


def host_platstdlib():
    """The host's own platform library directory, also when gilless runs from a venv
    (whose sysconfig names the venv's, which has no lib-dynload)."""
    base = {"platbase": sys.base_exec_prefix, "installed_platbase": sys.base_exec_prefix}
    return sysconfig.get_path("platstdlib", vars=base)


_available = None


def available_names():
    global _available
    if _available is None:
        names = set(sys.builtin_module_names) | _extension_module_names()
        _available = frozenset(names - NOT_SHARED)
    return _available


def copy_of_host_module(name):
    host_module = importlib.import_module(name)
    guest_module = types.ModuleType(name, host_module.__doc__)
    namespace = dict(host_module.__dict__)
    for host_only in ("__spec__", "__loader__", "__file__", "__cached__", "__builtins__"):
        namespace.pop(host_only, None)
    guest_module.__dict__.update(namespace)
    adapter = ADAPTERS.get(name)
    if adapter is not None:
        adapter(guest_module)
    return guest_module


def _guest_and_host(module_name):
    # Through the guest's own `__import__`: the import system is the guest world's.
    world.builtins["__import__"](module_name)
    return world.modules[module_name], importlib.import_module(module_name)


def _adapt_decimal(module):
    """Join what `_decimal` registered with the host's ABCs to the guest's ABCs.

    The C module registers Decimal with `numbers.Number`, compares with
    `numbers.Rational` values, and bases `Context.flags` on
    `collections.abc.MutableMapping`, all looked up once in the host's
    modules. The guest's Number and MutableMapping accept what the host's
    do, and the host's Rational accepts the guest's Fractions; one direction
    each, since ABCs refuse registration cycles.
    """
    guest_numbers, host_numbers = _guest_and_host("numbers")
    guest_numbers.Number.register(host_numbers.Number)
    host_numbers.Rational.register(guest_numbers.Rational)
    guest_abc, host_abc = _guest_and_host("collections.abc")
    guest_abc.MutableMapping.register(host_abc.MutableMapping)


# Host module name -> what makes its guest copy behave as in CPython.
ADAPTERS = {"_decimal": _adapt_decimal}
