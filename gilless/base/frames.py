"""gilless's own frames, and how they are kept out of the guest's sight.

Guest code runs as host code, so a host traceback is a guest traceback
except for the frames of gilless itself (the runner, the Python-level
built-ins such as `exec` and `__import__`, the GIL mode's wrappers). A
frame is gilless's when its code comes from a file of the `gilless`
package, or when it runs in a module that sets `__gilless_internal__`
(code renamed after the guest code it stands for, as the import statement's
`guest_import` is named as importlib's: a marker read here, as pytest reads
`__tracebackhide__`, rather than a registry of code objects to keep).

A gilless function that guest code calls as it would call a C function of
CPython's is decorated with `hides_frames`: an exception leaving it has its
gilless frames unlinked, so the guest, its `traceback` module and a bare
`raise` see it raised by a built-in, as in CPython. That costs one plain
Python call per call (see `hides_frames`).
"""

import builtins
import os

import gilless
from gilless.base import hostimports, startimage

GILLESS_DIR = os.path.dirname(os.path.abspath(gilless.__file__)) + os.sep
# What gilless's frames run with: at the recursion limit, where no function can be called
# to unlink them from an error, a handler tells them by it, inline (as `_WRAPPER`'s does).
HOST_BUILTINS = vars(builtins)
IMPORTLIB_FILENAMES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")
# Set in the globals of a gilless module whose code is named after guest code.
INTERNAL_MARKER = "__gilless_internal__"

show_internal_frames = bool(os.environ.get("GILLESS_DEBUG"))

# The code of each `hides_frames` wrapper -> a function of the wrapper's frame giving
# the callable the guest called (None for a call CPython does not report): a guest
# profiler sees such a call as CPython shows a C function's (gilless.module.systrace).
# Filled as gilless's modules are imported.
BUILTIN_CALLS = {}
# The code of gilless's functions that an instrumented mode's lowering puts into guest
# code (the race detector's events): CPython makes no such calls, so no tool sees one.
INSERTED_CALLS = set()
# The types of gilless's objects that stand for the guest's Python functions (a guarded
# generator function): the host reports calls of them as of C functions, with C_RETURN
# and C_RAISE events that CPython gives no Python function, and no tool sees those.
FUNCTION_STAND_INS = set()
# The code of gilless's functions that make a call the guest made, to their argument
# `bound`, the last that the `functools.partial` the guest called binds (a container's
# method, under the event layer): a tool sees that call as the guest's own.
CALLS_FOR_GUEST = set()
# gilless's subclasses of C types that override C methods with Python ones (a guarded
# `OrderedDict`, `sqlite3.Connection`) -> an object of the C type: a C profiler is told
# of a call of such a method as bound to it (`for_c_profiler`).
C_TYPE_STAND_INS = {}


# gilless's functions that are the guest's `__import__` (`report_import_calls`).
_GUEST_IMPORTS = []
# The host's opcode numbers that profilers' filters read (`opcode_number`).
_OPCODES = {}


def opcode_number(name, _opcodes=_OPCODES, _host_module=hostimports.host_module):
    """The host's number of the instruction `name` (-1 where the host has none),
    read from the host's `opcode` the first time a profiler needs it, not as
    gilless starts."""
    number = _opcodes.get(name)
    if number is None:
        number = _opcodes[name] = _host_module("opcode").opmap.get(name, -1)
    return number


def returns(frame, _opcode_number=opcode_number):
    """Whether `frame`, whose `return` event a profile function is given, returns
    rather than raises: the host reports both as `return`, and its last instruction
    tells them apart (an exception leaves where it was raised). A stand-in's raise
    is a C function's `c_exception`."""
    code = frame.f_code.co_code[frame.f_lasti]
    return code == _opcode_number("RETURN_VALUE") or code == _opcode_number("RETURN_CONST")


def stand_in_for_c_type(cls, c_type):
    """Let C profilers name the C methods of `c_type` that `cls`, a subclass of it,
    overrides as CPython does (`for_c_profiler`)."""
    C_TYPE_STAND_INS[cls] = c_type.__new__(c_type)


def for_c_profiler(method, _stand_ins=C_TYPE_STAND_INS, _method_type=type(len)):
    """`method`, a built-in method a C profiler is told the guest called, bound to the
    stand-in of its object's C type where a class of gilless's overrides it: cProfile
    names a method by what the type of the object it is bound to has under its name,
    which is that class's Python method, not the C method CPython's would find."""
    if type(method) is not _method_type or not _stand_ins:
        return method
    for cls in type(method.__self__).__mro__:
        stand_in = _stand_ins.get(cls)
        if stand_in is not None:
            c_type = type(stand_in)
            c_method = getattr(c_type, method.__name__, None)
            # (With the type: `__get__` of a method that takes its class crashes 3.11
            # without.)
            return method if c_method is None else c_method.__get__(stand_in, c_type)
    return method


def report_as_c_function(function):
    """A profiler sees the guest's calls of `function`, a gilless function that stands
    for a C function and has no frames of its own to hide (`hides_frames` would cost a
    call more), as calls of that C function. `function` is returned."""
    BUILTIN_CALLS[function.__code__] = lambda frame: function
    return function


def report_import_calls(function):
    """Report the calls of `function`, the guest's `__import__`, that CPython reports
    as calls of its C function `__import__`: those the guest's code writes out (as
    `encodings.search_function` does), and not the `import` statement's (CPython's
    IMPORT_NAME calls the C function directly) nor C code's (PyImport_Import, which
    passes the running frame's globals as `globals` and `locals`, and an empty list
    as `fromlist`; a program's own `__import__` that forwards them is reported)."""
    def shown(frame, _opcode_number=opcode_number):
        caller = frame.f_back
        if caller.f_code.co_code[caller.f_lasti] == _opcode_number("IMPORT_NAME"):
            return None
        arguments = frame.f_locals
        fromlist = arguments.get("fromlist")
        if (fromlist.__class__ is list and not fromlist
                and arguments.get("globals") is caller.f_globals
                and arguments.get("locals") is caller.f_globals):
            return None
        return function

    BUILTIN_CALLS[function.__code__] = shown
    _GUEST_IMPORTS.append(function)


def is_gilless_import(importer):
    """Whether `importer`, the guest's `__import__`, is one of gilless's own (not one
    that the program put in its place)."""
    return any(importer is function for function in _GUEST_IMPORTS)


def taken_out(frame, event, arg):
    """What the host's `sys.gettrace()` or `sys.getprofile()` gives in a thread whose
    function gilless took out keeping its object (`gilless.module.systrace`): the
    thread has none."""
    return None


def is_internal(frame):
    """True for a frame of gilless's own code."""
    return (frame.f_code.co_filename.startswith(GILLESS_DIR)
            or INTERNAL_MARKER in frame.f_globals)


def _relink(entries, keep):
    """Unlink the traceback entries for which `keep` is false; return the new head.

    Setting `tb_next` makes CPython walk the new tail looking for a cycle,
    so linking each kept entry to a long tail would be quadratic in the
    depth (seconds for a RecursionError at a recursion limit of 100000).
    Only the entries whose successor changes are written, and all of them
    are first cut, so that each write walks just one kept run: linear.
    """
    kept = [entry for entry, kept in zip(entries, keep) if kept]
    if not kept:
        return None
    successors = kept[1:] + [None]
    changed = [(entry, successor) for entry, successor in zip(kept, successors)
               if entry.tb_next is not successor]
    for entry, _ in changed:
        entry.tb_next = None
    for entry, successor in changed:
        entry.tb_next = successor
    return kept[0]


def entries(tb):
    found = []
    while tb is not None:
        found.append(tb)
        tb = tb.tb_next
    return found


def without_frames(tb, drop):
    """`tb` with the entries for whose frame `drop` is true unlinked (all kept under
    GILLESS_DEBUG)."""
    if show_internal_frames or tb is None:
        return tb
    found = entries(tb)
    keep = [not drop(entry.tb_frame) for entry in found]
    if all(keep):
        return tb
    return _relink(found, keep)


def without_internal_frames(tb):
    return without_frames(tb, is_internal)


def without_import_frames(tb, always):
    """CPython's remove_importlib_frames: drop importlib chunks (all of them when
    `always`, else those ending in _call_with_frames_removed), and gilless frames."""
    found = entries(tb)
    keep = []
    chunk_start = None
    in_importlib = False
    for index, entry in enumerate(found):
        frame = entry.tb_frame
        if is_internal(frame) and not show_internal_frames:
            keep.append(False)
            continue
        code = frame.f_code
        now_in_importlib = code.co_filename in IMPORTLIB_FILENAMES
        if now_in_importlib and not in_importlib:
            chunk_start = index
        in_importlib = now_in_importlib
        keep.append(True)
        if in_importlib and (always or code.co_name == "_call_with_frames_removed"):
            for dropped in range(chunk_start, index + 1):
                keep[dropped] = False
    return _relink(found, keep)


def hide_internal_frames(exc):
    """Unlink gilless frames from `exc` before it reaches guest code."""
    exc.__traceback__ = without_internal_frames(exc.__traceback__)


_CO_VARARGS = 0x04
_CO_VARKEYWORDS = 0x08


def _signature_source(code):
    """The parameter list of `code` and the arguments that pass them on, as source."""
    names = code.co_varnames
    positional_only = names[:code.co_posonlyargcount]
    positional = names[code.co_posonlyargcount:code.co_argcount]
    end = code.co_argcount + code.co_kwonlyargcount
    keyword_only = names[code.co_argcount:end]
    parameters = list(positional_only)
    if positional_only:
        parameters.append("/")
    parameters.extend(positional)
    arguments = list(positional_only + positional)
    if code.co_flags & _CO_VARARGS:
        parameters.append(f"*{names[end]}")
        arguments.append(f"*{names[end]}")
        end += 1
    elif keyword_only:
        parameters.append("*")
    parameters.extend(keyword_only)
    arguments.extend(f"{name}={name}" for name in keyword_only)
    if code.co_flags & _CO_VARKEYWORDS:
        parameters.append(f"**{names[end]}")
        arguments.append(f"**{names[end]}")
    return ", ".join(parameters), ", ".join(arguments)


_WRAPPER = """
def _make(_gilless_function, _gilless_strip):
    def {name}({parameters}):
        try:
            return _gilless_function({arguments})
        except BaseException as _gilless_error:
            try:
                _gilless_error.__traceback__ = _gilless_strip(_gilless_error.__traceback__)
            except RecursionError:
                # (At the recursion limit, with no room for a call: gilless's entries at
                # the top unlinked in place, the host's builtins telling its frames.)
                _gilless_tb = _gilless_error.__traceback__
                while (_gilless_tb is not None
                       and _gilless_tb.tb_frame.f_builtins is _GILLESS_HOST_BUILTINS):
                    _gilless_tb = _gilless_tb.tb_next
                _gilless_error.__traceback__ = _gilless_tb
            raise
    return {name}
"""


# The function that makes a wrapper, by the signature's source (parameters, arguments).
_wrapper_makers = {}


def _update_wrapper(wrapper, function):
    # functools.update_wrapper's work, without importing functools (and collections)
    # at every start-up.
    for name in ("__module__", "__name__", "__qualname__", "__doc__", "__annotations__",
                 "__type_params__"):
        try:
            value = getattr(function, name)
        except AttributeError:
            continue
        setattr(wrapper, name, value)
    wrapper.__dict__.update(getattr(function, "__dict__", {}))
    wrapper.__wrapped__ = function


def hides_frames(function, shown_from_frame=None, name=None, reported=True):
    """`function`, called by guest code as a C built-in: what it raises reaches the guest
    without gilless frames.

    The wrapper has `function`'s own parameters (generated as dataclasses
    generates its methods), so a call costs one plain Python call more:
    measured on CPython 3.11, 60 ns per call against 35 ns for the same
    try/except written in the function, where a `*args, **kwargs` wrapper
    costs 120 ns. Other callables (a partial) get such a wrapper.
    `shown_from_frame`, given the wrapper's frame, gives what the guest called
    (by default the wrapper itself); `name`, the built-in's name where it is not
    the function's; `reported=False` for a built-in whose call CPython reports to
    no profiler (a lock's `__enter__`, which a `with` statement calls).
    """
    code = getattr(function, "__code__", None)
    if code is None:
        signature = ("*args, **kwargs", "*args, **kwargs")
        name = name or "hiding_frames"
    else:
        signature = _signature_source(code)
        name = name or code.co_name
    make = _wrapper_makers.get(signature)
    if make is None:
        # Compiled once per signature (a start-up makes a dozen wrappers), and kept in
        # the start-up image.
        source = _WRAPPER.format(name="wrapper", parameters=signature[0],
                                 arguments=signature[1])
        namespace = {"_GILLESS_HOST_BUILTINS": HOST_BUILTINS}
        exec(startimage.compiled(source, __file__), namespace)
        make = _wrapper_makers[signature] = namespace["_make"]
    wrapper = make(function, without_internal_frames)
    # Named as the function, as if compiled for it (in this file: the wrapper's frame is
    # a gilless frame).
    wrapper.__code__ = wrapper.__code__.replace(co_name=name,
                                                co_qualname=f"_make.<locals>.{name}")
    _update_wrapper(wrapper, function)
    if name != wrapper.__name__:
        # (A caller that names it gives its qualified name too.)
        wrapper.__name__ = wrapper.__qualname__ = name
    if code is not None:
        wrapper.__defaults__ = function.__defaults__
        wrapper.__kwdefaults__ = function.__kwdefaults__
    if reported:
        BUILTIN_CALLS[wrapper.__code__] = shown_from_frame or (lambda frame: wrapper)
    return wrapper
