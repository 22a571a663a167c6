"""Concurrency: guest threads on host OS threads, and the optional GIL mode.

Default mode. A guest thread is a host thread started by the host's
`_thread`, which the guest gets as it is (`gilless.module.threadmodule`).
Nothing global serialises guest code: on a free-threaded host guest threads
run in parallel. Guest objects are host objects, so each single operation
on a built-in container (`list.append`, `dict.setdefault`, `set.add`,
`deque.append`...) is made atomic by the host's per-object critical
section, type attribute caches are the host's and are invalidated by the
host when a class, its `__bases__` or an object's `__class__` changes, and
generators refuse to run in two threads at once ("generator already
executing"). What gilless owns is made safe like this:

- the module table is a host dict (atomic operations); importing is the
  standard library's importlib with its per-module locks and deadlock
  detection, running on the guest `_thread`, so a module executes once even
  when threads import it at the same moment, and circular imports across
  threads resolve as in CPython; the import fast path only reads;
- the compile cache writes each entry to a private file and renames it into
  place, so threads and processes filling it at once never see half an entry;
- runtime helpers that every thread calls are module-level functions over
  immutable or per-thread data, so they add no shared mutable state (and no
  reference-count contention on a free-threaded host).

The locking rule. gilless holds one lock of its own while it could run guest
code: the guest `_imp` import lock, an RLock, which importlib itself takes
(CPython's rule: held around module-lock bookkeeping and meta path lookups).
Every other lock the guest can block on is a guest lock (a `threading`
object, an importlib module lock), ordered by the guest. gilless never calls
guest code - `__eq__`, `__hash__`, `__del__`, callbacks, finders - while it
holds an internal lock that another thread could need in the opposite order;
in the GIL mode the GIL is released before any wait (see `gil`), so the GIL
is never the second lock of a cycle. For host containers the rule is the
host's: a critical section is per object and is suspended while the
operation calls back into guest code.

GIL mode (`-X gil=1`, `PYTHON_GIL=1`), for comparison: one global lock,
held by the thread that runs guest code, handed over at switch points every
switch interval (5 ms, `sys.setswitchinterval`) and released around every
blocking call of the guest's built-in modules. `gil` has the lock and the
switch protocol, `guestthread` the guest `_thread` of this mode, `blocking`
the guest modules' blocking calls, and `gilmode` the object a `Space`
installs to patch its built-in modules; the lowering pass that places switch
points is the compiler's (`gilless.compiler.switchpoints`). The default mode
imports none of them and pays nothing.
"""
