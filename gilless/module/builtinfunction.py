"""Python code presented to the guest as a built-in function of a C module.

Some functions of the guest's built-in modules are Python code where
CPython's are C: `_thread._excepthook`, and in the GIL mode
`_thread.allocate_lock`, `_imp.acquire_lock`, `time.sleep` released around
the GIL... A Python function is a descriptor: stored as a class attribute
(`class C: lock = _thread.allocate_lock`, as test suites and `selectors`
do) it binds as a method and gets the instance as an extra argument, which
the C function it replaces never does. A `staticmethod` would not bind
there but is not what the module attribute itself should be, and
`functools.partial` warns when used as a method on 3.13. So the
replacement is a callable object without `__get__`, which raises as a C
function would, with no gilless frame: one more Python frame per call, paid
by `_thread._excepthook` in the default mode and by the GIL mode's
replacements.
"""

from gilless.base.frames import hides_frames

# types.BuiltinFunctionType, without importing `types` at start-up.
_BUILTIN_FUNCTION = type(len)


class BuiltinFunction:
    """`function`, called as a non-binding built-in function.

    What the guest sees of it (name, documentation, module, repr, pickling by
    reference) is `shown`: the host built-in it stands for, or by default
    `function` itself, placed in module `module`."""

    __slots__ = ("_function", "_shown", "__weakref__")

    def __init__(self, function, module=None, shown=None):
        if shown is None:
            function.__module__ = module
            function.__qualname__ = function.__name__
            shown = function
        self._function = function
        self._shown = shown

    def __call__(self, *args, **kwargs):
        return self._function(*args, **kwargs)

    # A profiler sees the call as one of this object, as of a C function.
    __call__ = hides_frames(__call__, shown_from_frame=lambda frame: frame.f_locals["self"])

    # The class has its own __module__ and __doc__, which __getattr__ never sees.
    __module__ = property(lambda self: self._shown.__module__)
    __doc__ = property(lambda self: self._shown.__doc__)

    # `isinstance(f, types.BuiltinFunctionType)` as for a C function: `inspect.isbuiltin`
    # and `isroutine` say so, and `pydoc` lists it among its module's functions.
    @property
    def __class__(self):
        return _BUILTIN_FUNCTION

    def __getattr__(self, name):
        # __name__, __qualname__, __text_signature__... of what it shows.
        return getattr(self._shown, name)

    def __repr__(self):
        return f"<built-in function {self._shown.__name__}>"

    def __reduce__(self):
        # Pickled by reference, as a built-in function is.
        return self._shown.__qualname__
