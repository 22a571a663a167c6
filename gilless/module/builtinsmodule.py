"""The guest `builtins` module.

Most built-ins are the host's own C functions and types: guest objects are
host objects, so `len`, `isinstance`, `super`, `__build_class__`, `open`,
`print` (whose stream is the guest's, see sysmodule) behave exactly as in
CPython. gilless supplies the ones that must reach the guest world rather
than the host's: `__import__` goes to the guest's import system, and `exec`,
`eval` and `compile` compile through the gilless compiler and give executed
code the guest's built-ins; `input` checks the guest's streams before the
host's reads them through its `sys`. They are module-level functions over
the installed guest world (its compile options and builtins), as every
helper that all threads call is (docs/threads.md); `definitions` lists the
names gilless sets.

Where the gilless compiler is the host's (the default mode with no lowering
pass, at the host's own optimisation level) the guest's `exec`, `eval` and
`compile` are the host's C functions themselves: called from guest code,
they compile as the host does, with the caller's future features, and give
code the caller's built-ins (the C functions take them from the calling
frame), its frame following the caller's, as in CPython, at the cost of a
C call (0.1 us for `exec` of a code object, against 0.9 us through the
Python functions, CPython 3.11).
"""

import builtins as host_builtins
import sys as host_sys

from gilless.base.frames import hides_frames
from gilless.base.hoststack import call_above
from gilless.base.hosttypes import CodeType, ModuleType
from gilless.base.state import world
from gilless.compiler import compile_guest
from gilless.compiler.options import FUTURE_FLAGS_MASK
from gilless.module.builtinfunction import BuiltinFunction
from gilless.module.systrace import guest_frame_from

# Added by the guest's `site`, as in CPython.
LEFT_TO_SITE = ("help", "exit", "quit", "copyright", "credits", "license")

# From 3.13 (PEP 667) a function frame's f_locals is a proxy that writes
# through to its variables, while exec() and eval() without namespaces work
# on a snapshot of them, as locals() returns.
FRAME_LOCALS_WRITE_THROUGH = host_sys.version_info >= (3, 13)
CO_OPTIMIZED = 0x0001

host_exec = host_builtins.exec
host_eval = host_builtins.eval

# Frames from one of the functions below to the guest code that called it: the
# function's own and `hides_frames`' wrapper.
_TO_CALLER = 2


def _caller_future_flags():
    return host_sys._getframe(_TO_CALLER + 1).f_code.co_flags & FUTURE_FLAGS_MASK


@hides_frames
def compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1,
            *, _feature_version=-1):
    if not dont_inherit:
        flags |= _caller_future_flags()
    options = world.compile_options
    if optimize != -1:
        options = options._replace(optimize=optimize)
    return compile_guest(source, filename, mode, flags, options,
                         feature_version=_feature_version)


def _namespaces(globals, locals):
    if globals is None:
        caller = host_sys._getframe(_TO_CALLER + 1)
        globals = caller.f_globals
        if locals is None:
            locals = caller.f_locals
            if FRAME_LOCALS_WRITE_THROUGH and caller.f_code.co_flags & CO_OPTIMIZED:
                # A snapshot, as CPython's exec and eval take (PEP 667).
                locals = dict(locals)
    elif locals is None:
        locals = globals
    # As CPython, for dict subclasses too, bypassing their overrides; left to the
    # host, a missing entry would become the host's builtins.
    if isinstance(globals, dict) and not dict.__contains__(globals, "__builtins__"):
        dict.__setitem__(globals, "__builtins__", world.builtins)
    return globals, locals


def _namespaces_by_keyword(function):
    """From 3.13, exec() and eval() take `globals` and `locals` by keyword too."""
    if host_sys.version_info >= (3, 13):
        function.__code__ = function.__code__.replace(co_posonlyargcount=1)
    return function


@hides_frames
@_namespaces_by_keyword
def exec(source, globals=None, locals=None, /, *, closure=None):
    globals, locals = _namespaces(globals, locals)
    if not isinstance(source, CodeType):
        source = compile_guest(_source_text(source, "exec"), "<string>", "exec",
                               _caller_future_flags(), world.compile_options)
    # The code's frame follows its caller's, as in CPython.
    caller = host_sys._getframe(_TO_CALLER)
    if closure is None:
        return call_above(caller, host_exec, source, globals, locals)
    return call_above(caller, host_exec, source, globals, locals, closure=closure)


@hides_frames
@_namespaces_by_keyword
def eval(source, globals=None, locals=None, /):
    globals, locals = _namespaces(globals, locals)
    if not isinstance(source, CodeType):
        text = _source_text(source, "eval")
        if isinstance(text, str):
            text = text.lstrip(" \t")
        else:
            text = text.lstrip(b" \t")
        source = compile_guest(text, "<string>", "eval", _caller_future_flags(),
                               world.compile_options)
    return call_above(host_sys._getframe(_TO_CALLER), host_eval, source, globals, locals)


for _function in (compile, exec, eval):
    _function.__doc__ = getattr(host_builtins, _function.__name__).__doc__
    _function.__module__ = "builtins"
    _function.__qualname__ = _function.__name__


def definitions(space):
    """The names gilless sets in the guest `builtins`, over a copy of the host's."""
    options = space.compile_options
    native = not options.instrumented and options.optimize == host_sys.flags.optimize
    names = {
        "__import__": space.guest_import,
        "__debug__": space.config.optimize == 0,
        "input": BuiltinFunction(_input, shown=host_builtins.input),
    }
    if not native:
        names.update(compile=compile, exec=exec, eval=eval)
    return names


def _input(*args):
    """The host's `input`, which reads the guest's streams through the views in the
    host's `sys` (gilless.module.syshostview). A guest's `sys.stdin` or `sys.stdout`
    deleted or None is, for the call, the host's own set to None: the host then raises
    CPython's error of that version ("input(): lost sys.stdin", "lost sys.stdin") before
    it writes the prompt, where the view would raise only as the line is read."""
    # Above the frame that called it, as CPython's C function: the program's stream
    # methods it calls (`readline`, `write`) see that frame as their caller.
    caller = guest_frame_from(host_sys._getframe(1))
    lost = [name for name in ("stdin", "stdout") if world.sys.get(name) is None]
    if not lost:
        return call_above(caller, host_builtins.input, *args)
    views = {name: getattr(host_sys, name) for name in lost}
    try:
        for name in lost:
            setattr(host_sys, name, None)
        return call_above(caller, host_builtins.input, *args)
    finally:
        for name, view in views.items():
            setattr(host_sys, name, view)


def create(space):
    module = ModuleType("builtins", host_builtins.__doc__)
    namespace = dict(host_builtins.__dict__)
    for name in LEFT_TO_SITE + ("__spec__", "__loader__", "_"):
        namespace.pop(name, None)
    namespace.update(definitions(space))
    module.__dict__.update(namespace)
    return module


def _source_text(source, function_name):
    """The text of an exec/eval argument, with CPython's error for anything else."""
    if isinstance(source, (str, bytes)):
        return source
    if isinstance(source, bytearray):
        return bytes(source)
    if isinstance(source, memoryview):
        return source.tobytes()
    if function_name == "exec":
        raise TypeError("exec() arg 1 must be a string, bytes or code object")
    raise TypeError("eval() arg 1 must be a string, bytes or code object")
