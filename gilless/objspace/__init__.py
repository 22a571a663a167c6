"""The object space: the guest world and the objects in it.

gilless represents guest objects as host objects. A guest class is a host
class built by the host's type machinery from guest code, a guest instance
is a host instance, a guest function or generator is a host one whose code
the gilless compiler produced from guest source; lists, dicts, sets and
bytearrays are the host's, and immutable values are the host's values.
This is the "with the help of the platform" choice of Jython and IronPython,
taken one step further because here the platform is Python itself: guest
semantics are CPython's by construction, operations run at host speed, and
on a free-threaded host every mutable built-in object carries the host's
per-object lock, so single operations (`list.append`, `dict.setdefault`,
`set.add`...) are atomic and never corrupt an object, and iteration under
concurrent mutation raises rather than crashes. The measured alternative, a
space whose classes are instances of a gilless class, scaled at 0.44 to 0.82
on two threads against 1.80 for native classes, because of reference-count
contention on the shared space objects.

What gilless owns is the world around those objects: the guest's `sys`,
`builtins` and module table, its import system, its built-in modules, the
compiler and its execution modes, threads and the GIL mode, and the
guest-facing view of errors (`tracebacks`).
"""
