"""Module functions of the GIL mode that behave as built-in functions.

The GIL mode replaces some functions of the guest's C modules
(`_thread.allocate_lock`, `_imp.acquire_lock`, `sys.setswitchinterval`...)
with Python code. A Python function is a descriptor: stored as a class
attribute (`class C: lock = _thread.allocate_lock`, as test suites and
`selectors` do) it binds as a method and gets the instance as an extra
argument, which the C function it replaces never does. A `staticmethod`
would not bind there but is not what the module attribute itself should
be, and `functools.partial` warns when used as a method on 3.13. So the
replacement is a callable object without `__get__`: one more Python frame
per call, which only the GIL mode pays.
"""

from gilless.objspace.tracebacks import hide_internal_frames


class BuiltinFunction:
    """A Python function presented as a non-binding built-in function of `module`."""

    __slots__ = ("_function", "__weakref__")

    def __init__(self, function, module):
        function.__module__ = module
        function.__qualname__ = function.__name__
        self._function = function

    def __call__(self, *args, **kwargs):
        try:
            return self._function(*args, **kwargs)
        except BaseException as error:
            # Raised from the guest's view by a C function: no gilless frame shows.
            hide_internal_frames(error)
            raise

    # The class has its own __module__ and __doc__, which __getattr__ never sees.
    __module__ = property(lambda self: self._function.__module__)
    __doc__ = property(lambda self: self._function.__doc__)

    def __getattr__(self, name):
        # __name__, __qualname__, __text_signature__... of the function.
        return getattr(self._function, name)

    def __repr__(self):
        return f"<built-in function {self._function.__name__}>"

    def __reduce__(self):
        # Pickled by reference, as a built-in function is.
        return self._function.__qualname__
