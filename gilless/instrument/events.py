"""The access events: what instrumented guest code calls for each access to shared state.

Each function reports an access that the guest's code has just made (`ra`,
`wa`, `ri`, `wi`: see gilless.compiler.accesses), or performs the access
exactly as the host's bytecode would (same result, same exception, with no
gilless frame left in its traceback) and then reports it, to the installed
consumer as

    access(target, space, key, flags)

target  the object whose state is touched: an instance, a class, a module's
        namespace dict (so `m.x` and the global `x` of module `m` are one
        location), a container, or a closure cell;
space   ATTR (key: the attribute or global name), ITEM (key: a dict key, a set
        member, a normalised list index), STRUCT (key None: the container's
        contents as a whole, which iteration reads and every mutation writes),
        or VAR (key: (name, qualname of the closure) for a cell);
flags   READ or WRITE, with ATOMIC for the container operations CPython makes
        atomic (they never race with one another, only with plain accesses), and
        THROUGH_CLASS for an instance's attribute whose name is a plain attribute of
        its class (see the same-epoch filter below).

Each function hides its own frame from what the access raises with an inline
`try` rather than `hides_frames`: these are the hottest calls of the
instrumented modes, and the inline form costs nothing until something raises.

Only data is reported: an attribute that a property or another data
descriptor computes is the descriptor's code's business (its own accesses
are events), and `threading.local` objects are never shared. Every thread
calls these functions, so they are module-level functions over the
immutable tables below and the consumer's function, set once by `install`.
"""

import operator
import sys
from functools import partial as _partial
from _thread import _local as _host_local
from collections import deque as _deque, OrderedDict as _OrderedDict
from gc import get_referents as _referents
from _weakref import ref as _ref
from types import BuiltinFunctionType as _BuiltinFunctionType, \
    ClassMethodDescriptorType as _ClassMethodDescriptorType, FunctionType as _FunctionType, \
    MethodDescriptorType as _MethodDescriptorType, MethodType as _MethodType, \
    ModuleType as _ModuleType, WrapperDescriptorType as _WrapperDescriptorType

from gilless.base import frames, hoststack
from gilless.base.frames import hide_internal_frames
from gilless.compiler.lowering import is_stdlib
from gilless.module.systrace import guest_frame_from

READ, WRITE, ATOMIC, THROUGH_CLASS = 0, 1, 2, 4
# (In a consumer's `access_run` only: a read, then a write, of an augmented assignment.)
UPDATE = 8
ATTR, ITEM, STRUCT, VAR = 0, 1, 2, 3

_ATOMIC_WRITE = WRITE | ATOMIC


def _ignore(target, space, key, flags):
    pass


def _ignore_hand_off(container):
    pass


# -- the same-epoch filter ----------------------------------------------------------
#
# A consumer that keeps a state per location, as the race detector does, may share it
# (`shadows` and `threads`, see gilless.instrument.Consumer) so that the accesses it
# would ignore cost no call into it: FastTrack's same-epoch rule, that an access adds
# nothing to a location that the same thread accessed in the same way since its last
# synchronisation. `shadows` maps id(target) to the target's shadow, whose `attributes`
# (attribute names, closure variables) and `items` (None, or item keys and STRUCTURE,
# the contents) map each location to its record, a tuple whose first fields are the
# epochs in which an access needs no event:

READ_SEEN = 0    # a read
WRITE_SEEN = 1   # a plain write
ATOMIC_SEEN = 2  # an atomic write
READS_SEEN = 3   # a read (a collection of epochs: FastTrack's reads by concurrent threads)
# A read of `obj.name` where `name` is a plain attribute of obj's class reads the class's
# attribute too when the instance has none of its own (see `_class_attribute_read`), so
# the record of such a location must never let the filter drop a read: its accesses are
# reported with THROUGH_CLASS, and the consumer leaves READ_SEEN and READS_SEEN of its
# record empty (so `ra`'s filter need not look up the name's class, a shared table).
# The key of a container's contents (the STRUCT location) in its shadow's `items`.
STRUCTURE = object()


class _NoThreads:
    epoch = -1  # no record holds it: every access is reported


_access = _ignore
_publishing = _received = _putting = _taking = _ignore_hand_off
_module_published = _module_read = _returned = _ignore_hand_off
_shadows = {}
_threads = _NoThreads()

# The hot functions below look shared dicts up with `in` and a subscript, never `get`:
# on free-threaded 3.13, `get` from a thread other than the dict's creator costs some
# 10 us. Every lookup of the filter is in a `try`: a record that is not what it expects,
# or a thread with no epoch (`threads` has none for it), means the consumer decides.


def install(consumer):
    global _access, _access_run, _publishing, _received, _putting, _taking, \
        _module_published, _module_read, _shadows, _threads, _returned
    _access = consumer.access
    _access_run = getattr(consumer, "access_run", _access_each)
    _publishing = getattr(consumer, "publishing", _ignore_hand_off)
    _received = getattr(consumer, "received", _ignore_hand_off)
    _putting = getattr(consumer, "putting", _publishing)
    _taking = getattr(consumer, "taking", _ignore_hand_off)
    _module_published = getattr(consumer, "module_executed", _ignore_hand_off)
    _module_read = getattr(consumer, "imported", _ignore_hand_off)
    _returned = getattr(consumer, "published", _ignore_hand_off)
    _shadows = getattr(consumer, "shadows", None)
    _threads = getattr(consumer, "threads", None)
    if _shadows is None or _threads is None:
        _shadows, _threads = {}, _NoThreads()
    _bind_tables()


def uninstall():
    global _access, _access_run, _publishing, _received, _putting, _taking, \
        _module_published, _module_read, _shadows, _threads, _returned
    _access = _ignore
    _access_run = _access_each
    _publishing = _received = _putting = _taking = _module_published = _module_read = \
        _returned = _ignore_hand_off
    _shadows, _threads = {}, _NoThreads()
    _bind_tables()
    # What is known of each class holds the class (and its bases): let go, so that the
    # program's objects, finalized at exit, are freed as without the layer.
    for table in (_plain, _read_run_flags, _write_run_flags):
        for known in list(table.values()):
            known.clear()
        table.clear()
    _host_compared.clear()


# The most frequent functions (`ra`, `wa`, `ri`, `wi`, `rwa`, `rwi`, `ra_on`, `wa_on`,
# `ri_on`, `wi_on`, `wr_slice`, `_seen`, `iter_source`, and the race detector's
# `access` and `capture_stack`) take the globals they load as default arguments, in the
# manner of `json.encoder`: on free-threaded 3.13, whose interpreter does not
# specialise, each global a function loads is a dictionary lookup. (A filtered `ra` in
# a loop: 0.35 us with globals, 0.27 us with defaults. Under `-X race`, CPU time in two
# threads, interleaved medians of three: richards 0.89, nbody 0.87, fannkuch 0.93,
# float and raytrace 0.92 of the time before on 3.13t; 0.99 to 1.03 on 3.11; then
# `ri`'s slow path and `iter_source`: nqueens 0.96, the shared_read workload 0.94;
# `wr_slice` with its filter inline: fannkuch 0.93 on 3.11.)
# `install` binds the consumer's tables in them. (Not `_container_call`: its own defaults
# would follow `*args`, keyword-only, which a call's keywords could name.)

def _bind(function, **values):
    """Set the default arguments of `function` named in `values`."""
    code = function.__code__
    names = code.co_varnames[code.co_argcount - len(function.__defaults__):code.co_argcount]
    function.__defaults__ = tuple(values.get(name, default)
                                  for name, default in zip(names, function.__defaults__))


def _bind_tables():
    for function in (ra, ra_run, wa, wa_run, ri, wi, rwa, rwi, rwi_run, ra_on, wa_on, ri_on,
                     wi_on, wr_slice, _seen):
        _bind(function, _shadows=_shadows, _threads=_threads)


# -- which attributes are data --------------------------------------------------

class _Slots:
    __slots__ = ("slot",)


# A __slots__ entry is a data descriptor over plain storage: its accesses are data.
_MEMBER = type(_Slots.__dict__["slot"])
# type -> {attribute name -> what reading or writing it through an instance touches}:
# True for the instance's own data, a class for a plain attribute of that class (an
# instance reads it there unless it has its own), False for no data (a data
# descriptor computes it, or it is one of the flags below).
_plain = {}
# type -> {a run's tuple of names -> the flags of their reads, of their writes} (see
# `ra_run`, `wa_run`), by READ or WRITE.
_read_run_flags = {}
_write_run_flags = {}
_run_flags = {READ: _read_run_flags, WRITE: _write_run_flags}
# The standard library's flags between threads: instance attributes that one thread
# sets and another polls without a lock, as `threading`'s own flags are (correct under
# CPython's memory model, where a store of a reference is atomic), by the module and
# name of the class that owns them. Their accesses are the synchronisation, not data.
_FLAGS = {
    # serve_forever polls it; shutdown sets it, then waits for an Event.
    ("socketserver", "BaseServer"): frozenset({"_BaseServer__shutdown_request"}),
    # multiprocessing.pool's handler threads poll their own `_state`, which the pool
    # sets from another thread to stop them.
    ("threading", "Thread"): frozenset({"_state"}),
    # call_soon_threadsafe's wake-up reads the loop's socket once, and does nothing if
    # close has set it to None meanwhile.
    ("asyncio.selector_events", "BaseSelectorEventLoop"): frozenset({"_csock"}),
    # shutdown sets them under a lock that the manager thread does not take; it reads
    # them once woken through a pipe.
    ("concurrent.futures.process", "ProcessPoolExecutor"):
        frozenset({"_shutdown_thread", "_cancel_pending_futures"}),
    # The module's one name sequence makes its Random on first use in each process.
    ("tempfile", "_RandomNameSequence"): frozenset({"_rng", "_rng_pid"}),
    # A path computes its string, hash and parts on first use, whichever thread asks.
    ("pathlib", "PurePath"): frozenset({"_str", "_hash", "_pparts", "_cached_cparts"}),
    ("pathlib._local", "PurePath"): frozenset({
        "_drv", "_root", "_tail_cached", "_str", "_hash", "_str_normcase_cached",
        "_parts_normcase_cached"}),
    # A text stream's decoder and encoder, which the C TextIOWrapper resets and feeds,
    # under the stream's own lock, in whichever thread writes or reads: the stream's
    # state (two threads printing to pytest's captured output), not the program's.
    ("codecs", "BufferedIncrementalDecoder"): frozenset({"buffer"}),
    ("codecs", "BufferedIncrementalEncoder"): frozenset({"buffer"}),
}


def _is_flag(cls, name):
    for klass in cls.__mro__:
        flags = _FLAGS.get((klass.__module__, klass.__qualname__))
        if flags is not None and name in flags:
            return True
    return False


# (type, method name) -> whether the method is Python code (see `_method_in_python`).
_methods_in_python = {}


def _method_in_python(cls, name):
    """Whether the syntax's call of `cls`'s method `name` runs the program's code: an
    object whose class defines it in Python (a container subclass's, a class of the
    program's), whose call the event layer makes from the program's frame."""
    key = (cls, name)
    if key in _methods_in_python:
        return _methods_in_python[key]
    found = _methods_in_python[key] = not isinstance(_class_attribute(cls, name)[1],
                                                     (_C_CODE, type(None)))
    return found


# Containers whose items the host reads and writes at a plain key (see _VALUE_KEYS) with
# none of the program's code: asked first, before the two calls of the general case.
_PLAIN_ITEMS = frozenset({dict, list, tuple})


def _key_runs_code(key):
    """Whether using `key` as an index or a dict key runs the program's code."""
    cls = type(key)
    return cls not in _VALUE_KEYS and cls is not tuple and (
        _method_in_python(cls, "__index__") or _method_in_python(cls, "__hash__")
        or _method_in_python(cls, "__eq__"))


def _from_program(function, *args, **kwargs):
    """`function(*args, **kwargs)` called from the program's frame below the event
    layer's (so its callees' `f_back`, stacks and tracers show the program's), as C
    code called from there would be in CPython."""
    return hoststack.call_above(guest_frame_from(sys._getframe(1)), function, *args,
                                **kwargs)


def _class_attribute(cls, name):
    """The first class of `cls`'s MRO whose namespace holds `name`, and what it holds
    there; (None, None) where none does."""
    for klass in cls.__mro__:
        attribute = klass.__dict__.get(name, _class_attribute)
        if attribute is not _class_attribute:
            return klass, attribute
    return None, None


def _classify(cls, name):
    plain = True
    if issubclass(cls, _host_local) or _is_flag(cls, name):
        plain = False
    else:
        klass, attribute = _class_attribute(cls, name)
        if klass is not None:
            kind = type(attribute)
            if kind is _MEMBER:
                pass
            elif hasattr(kind, "__set__") or hasattr(kind, "__delete__"):
                plain = False
            elif cls is not type and not issubclass(cls, type):
                plain = klass
    if cls in _plain:
        names = _plain[cls]
    else:
        # (Read by every thread that reads the class's attributes: see gilless.instrument.)
        names = {}
        hoststack.make_immortal((names,))
        names = _plain.setdefault(cls, names)
    names[name] = plain
    return plain


# -- which objects are containers -----------------------------------------------

LIST, DICT, SET, DEQUE = 1, 2, 3, 4
_kinds = {list: LIST, dict: DICT, set: SET, _deque: DEQUE}
# What `method` is given besides objects: a `super()` object, and a class (as in
# `dict.get(self, k)`), whose calls may be a container's methods (`_receivers` has
# every class `method` has seen).
SUPER, CLASS = -1, -2
_receivers = {super: SUPER, type: CLASS}
# The methods the syntax calls (`c[k]`, `c[k] = v`, `del c[k]`, `k in c`, `for v in c`).
_SYNTAX_METHODS = ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__")
# A container's class -> those of its syntax methods that are Python code (a subclass's):
# that code's own accesses are the events, not the syntax that calls it.
_in_python = {}
_C_CODE = (_WrapperDescriptorType, _MethodDescriptorType, _ClassMethodDescriptorType,
           _BuiltinFunctionType)


def _kind(cls):
    if cls in _kinds:
        return _kinds[cls]
    kind = 0
    for base, base_kind in ((dict, DICT), (list, LIST), (set, SET), (_deque, DEQUE)):
        if issubclass(cls, base):
            kind = base_kind
            break
    if kind > 0:
        in_python = frozenset(name for name in _SYNTAX_METHODS
                              if not isinstance(_class_attribute(cls, name)[1], _C_CODE))
        if in_python:
            _in_python[cls] = in_python
    _kinds[cls] = kind
    return kind


def _kind_for(cls, name):
    """`cls`'s kind where the syntax calls its method `name`: none if that is Python code."""
    kind = _kinds[cls] if cls in _kinds else _kind(cls)
    if kind and cls in _in_python and name in _in_python[cls]:
        return 0
    return kind


def _receiver(cls):
    """`cls`'s kind, or SUPER or CLASS, for `method`."""
    kind = _kind(cls)
    if not kind:
        kind = CLASS if issubclass(cls, type) else SUPER if cls is super else 0
    _receivers[cls] = kind
    return kind


def _index(container, key):
    """A list or deque index as the position it names (negative ones counted from the end)."""
    index = key if type(key) is int else operator.index(key)
    return index + len(container) if index < 0 else index


# -- a key's location ---------------------------------------------------------------
#
# A consumer's item table holds the keys of the locations it keeps: looking a dict key
# up there compares it with the keys of equal hash, which for some keys means calling
# the program's `__hash__` and `__eq__` again, which CPython does not do (and which may
# use the very container: a key whose `__eq__` calls the cache it is a key of recursed
# through the detector's lookups until RecursionError). The event layer gives such a
# key's location as an `_Identity` of it: known by the key object alone, and compared
# by the host with no code of the program's.

# The types whose keys are their own locations (their comparisons are the host's, and
# they hold nothing else).
_VALUE_KEYS = frozenset({int, str, bytes, float, bool, complex, type(None)})
# type -> whether the host compares its instances with none of the program's code: True,
# False, or for a tuple or frozenset and a weak reference, what decides: their items,
# the referent (WeakSet's members, WeakKeyDictionary's keys).
_host_compared = {}
_ITEMS, _REFERENT = "items", "referent"


class _Identity:
    """The location of a dict key or set member that the program's code compares: the
    key object, compared by identity (a key equal to it but another object is another
    location)."""

    __slots__ = ("key",)

    def __init__(self, key):
        self.key = key

    def __hash__(self):
        return id(self.key)

    def __eq__(self, other):
        return type(other) is _Identity and other.key is self.key


def _location(key, type=type, _VALUE_KEYS=_VALUE_KEYS, _host_compared=_host_compared):
    """The key of `key`'s location in an item table: `key` itself where the host compares
    it with other keys without calling the program's code, else an `_Identity`."""
    cls = type(key)
    if cls in _VALUE_KEYS:
        return key
    # (A tuple, the commonest other key, asked first.)
    compared = _ITEMS if cls is tuple else _host_compared[cls] if cls in _host_compared \
        else _compared_by_host(cls)
    if compared is True:
        return key
    if compared is _ITEMS:
        for item in key:
            if type(item) not in _VALUE_KEYS and _location(item) is not item:
                return _Identity(key)
        return key
    if compared is _REFERENT:
        referent = key()
        if referent is None or _location(referent) is referent:
            return key
    return _Identity(key)


def _compared_by_host(cls):
    compared = all(isinstance(_class_attribute(cls, name)[1], _C_CODE)
                   for name in ("__eq__", "__hash__"))
    if compared and issubclass(cls, (tuple, frozenset)):
        # (Its items read by the host's own iterator, or it is known by identity.)
        compared = _ITEMS if isinstance(_class_attribute(cls, "__iter__")[1], _C_CODE) \
            else False
    elif compared and issubclass(cls, _ref):
        compared = _REFERENT
    _host_compared[cls] = compared
    return compared


def _key_of(location):
    """The key whose location is `location` (for a tool's words)."""
    return location.key if type(location) is _Identity else location


def _seen(target, key, field, attributes=False, _shadows=_shadows, _threads=_threads,
          id=id, READ_SEEN=READ_SEEN, READS_SEEN=READS_SEEN):
    """Whether the record of `target`'s location `key` (an item's, see `_location`, or
    STRUCTURE; with `attributes`, an attribute's or a global's name, or a closure
    variable's key) holds this thread's epoch in `field` (for READ_SEEN, or in
    READS_SEEN): the filter of the less frequent events (`ra`, `wa`, `ri` and `wi` have
    it inline)."""
    try:
        address = id(target)
        if address in _shadows:
            shadow = _shadows[address]
            table = shadow.attributes if attributes else shadow.items
            if table is not None and key in table:
                record = table[key]
                epoch = _threads.epoch
                return record[field] == epoch or (field == READ_SEEN
                                                  and epoch in record[READS_SEEN])
    except (KeyError, TypeError, AttributeError):
        pass
    return False


def _contents_written(container):
    """An atomic write of `container`'s contents (every change of a container makes one)."""
    try:
        # (_seen's filter, inline: a list's method or slice changes it in a loop. A fresh
        # container has no record yet: asked first, not raised, as that is every one's
        # first change.)
        address = id(container)
        if address in _shadows:
            items = _shadows[address].items
            if items is not None and STRUCTURE in items and \
                    items[STRUCTURE][ATOMIC_SEEN] == _threads.epoch:
                return
    except (KeyError, TypeError, AttributeError):
        pass
    _access(container, STRUCT, None, _ATOMIC_WRITE)


def _item_event(container, key, flags, method):
    """An access of `container[key]` by the syntax that calls the container's `method`."""
    kind = _kind_for(type(container), method)
    if kind:
        _item_access(container, kind, key, flags)


def _item_access(container, kind, key, flags):
    if kind == LIST or kind == DEQUE:
        if type(key) is slice:
            # A slice is read or replaced at once (atomic); a replacement moves items.
            if flags:
                _contents_written(container)
            return
        if type(key) is not int and _method_in_python(type(key), "__index__"):
            return  # (the program's index object: its code runs once, as in CPython)
        try:
            key = _index(container, key)
        except Exception:
            return  # (no index: the access raises, the host's error; see ri_on)
    else:
        key = _location(key)
    _access(container, ITEM, key, flags)
    if flags:
        # (Straight to the consumer: an item's write that got here is mostly a first,
        # and so is the contents' write with it.)
        _access(container, STRUCT, None, _ATOMIC_WRITE)


# -- attributes -------------------------------------------------------------------
#
# Where the object is a local variable, the compiler leaves an attribute or item
# access to the host's own bytecode and reports it after with `ra`, `wa`, `ri` and
# `wi` (the object named twice costs nothing).
#
# Before the access: where the object is another expression (`make().value`,
# `self.box.value = v`, `self.table[k]`), the event comes first, `ra_on`, `wa_on`,
# `ri_on` or `wi_on`, and returns the object, whose access the program's expression
# then makes (`ra_on(make(), 'value').value`): Python code that the access runs (a
# property's getter or setter, `__getattr__`, a `__getitem__`) is called from the
# program's frame, as in CPython, not from an event function's. (A read's event comes
# after the read where it can, as a point between the read and a later store is where
# the schedule explorer makes a lost update; a store's event before the store is such
# a point too.) The functions that make the access themselves (`rd_attr`, `wr_attr`,
# `rd_item`, `wr_item`, for the assignment targets' references and keys that are not
# simple) report it the same way, first.
#
# These are the most frequent calls of the instrumented modes: each begins with the
# same-epoch filter, inline.

def ra(value, obj, name, _shadows=_shadows, _threads=_threads, id=id, READ_SEEN=READ_SEEN,
       READS_SEEN=READS_SEEN):
    """`obj.name` was read, giving `value` (returned)."""
    try:
        key = id(obj)
        if key in _shadows:
            # (Reads of objects with no shadow are common, a module's attribute, an
            # object the program never wrote: so the shadow is looked for first. A
            # shadowed object's attribute mostly has a record: so its name is looked up
            # once, and a miss raises.)
            record = _shadows[key].attributes[name]
            epoch = _threads.epoch
            if record[READ_SEEN] == epoch or epoch in record[READS_SEEN]:
                return value
    except (KeyError, AttributeError):
        pass
    cls = type(obj)
    if cls is _ModuleType:
        # (The module's globals: a location of its namespace, filtered as rd_global.)
        namespace = obj.__dict__
        module = _stdlib_module(namespace)
        if module is not None:
            _module_read((module,))
        elif not _seen(namespace, name, READ_SEEN, attributes=True):
            _access(namespace, ATTR, name, READ)
        return value
    try:
        plain = _plain[cls][name]
    except KeyError:
        plain = _classify(cls, name)
    if plain is True:
        _access(obj, ATTR, name, READ)
    elif plain:
        _class_attribute_read(obj, name, plain)
    return value


def ra_run(obj, names, lines, _shadows=_shadows, _threads=_threads, id=id,
           READ_SEEN=READ_SEEN, READS_SEEN=READS_SEEN):
    """`obj`'s attributes `names` are about to be read, at `lines`, with nothing between
    but operators and stores (see gilless.compiler.accesses): `ra` for each, in one call
    before the reads (`self.x * other.x + self.y * other.y`: one for `self`, one for
    `other`; `x = self.x; y = self.y`: one). Returns None, the guest's expression
    follows it in an `or`."""
    try:
        key = id(obj)
        if key in _shadows:
            attributes = _shadows[key].attributes
            epoch = _threads.epoch
            for name in names:
                record = attributes[name]
                if not (record[READ_SEEN] == epoch or epoch in record[READS_SEEN]):
                    break
            else:
                return None
    except (KeyError, AttributeError):
        pass
    cls = type(obj)
    if cls is _ModuleType:
        namespace = obj.__dict__
        module = _stdlib_module(namespace)
        if module is not None:
            _module_read((module,))
        else:
            _access_run(namespace, ATTR, names, lines, (READ,) * len(names))
        return None
    flags = _plain_run_flags(cls, names, READ)
    _access_run(obj, ATTR, names, lines, flags)
    if THROUGH_CLASS in flags:
        # (As `_class_attribute_read`: the class's attribute too, where the instance has
        # none of its own.)
        try:
            own = object.__getattribute__(obj, "__dict__")
        except AttributeError:
            own = None
        for index, flag in enumerate(flags):
            name = names[index]
            if flag == THROUGH_CLASS and (type(own) is not dict or name not in own):
                _access_run(_plain[cls][name], ATTR, (name,), (lines[index],), (READ,))
    return None


def ra_on(obj, name, _shadows=_shadows, _threads=_threads, id=id, READ_SEEN=READ_SEEN,
          READS_SEEN=READS_SEEN):
    """`obj.name` is about to be read: `ra` before the read (see "Before the access"
    above); returns `obj`."""
    # (ra's filter, inline: most reads pass it, a call less for each.)
    try:
        key = id(obj)
        if key in _shadows:
            record = _shadows[key].attributes[name]
            epoch = _threads.epoch
            if record[READ_SEEN] == epoch or epoch in record[READS_SEEN]:
                return obj
    except (KeyError, AttributeError):
        pass
    ra(None, obj, name)
    return obj


def rd_attr(obj, name):
    ra_on(obj, name)
    try:
        return getattr(obj, name)
    except BaseException as error:
        hide_internal_frames(error)
        raise


def _class_attribute_read(obj, name, klass):
    """`obj.name` where `name` is a plain attribute of `klass`: a read of the instance's
    own attribute (found or not), and of the class's when the instance has none."""
    _access(obj, ATTR, name, READ | THROUGH_CLASS)
    try:
        own = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        own = None
    if type(own) is not dict or name not in own:
        _access(klass, ATTR, name, READ)


def wa(obj, name, _shadows=_shadows, _threads=_threads, id=id, WRITE_SEEN=WRITE_SEEN):
    """`obj.name` was assigned or deleted."""
    try:
        key = id(obj)
        if key in _shadows:
            attributes = _shadows[key].attributes
            if name in attributes and attributes[name][WRITE_SEEN] == _threads.epoch:
                return
    except (KeyError, AttributeError):
        pass
    cls = type(obj)
    if cls is _ModuleType:
        namespace = obj.__dict__
        module = _stdlib_module(namespace)
        if module is not None:
            # (After the store; from wa_on, before it.)
            _module_published(module)
        elif not _seen(namespace, name, WRITE_SEEN, attributes=True):
            _access(namespace, ATTR, name, WRITE)
        return
    try:
        plain = _plain[cls][name]
    except KeyError:
        plain = _classify(cls, name)
    if plain is True:
        _access(obj, ATTR, name, WRITE)
    elif plain:
        _access(obj, ATTR, name, WRITE | THROUGH_CLASS)


def wa_run(obj, names, lines, update=False, _shadows=_shadows, _threads=_threads, id=id,
           WRITE_SEEN=WRITE_SEEN):
    """A run of stores into attributes of `obj` was done (`self.x = x; self.y = y`,
    values that call nothing: see gilless.compiler.accesses): `wa` for each of
    `names`, in one call after the last store; with `update`, a run of `obj.name op= v`,
    `rwa` for each. `lines` are the statements' lines, which the consumer's
    `access_run` gives the records (a run of stores in `__init__` is how most objects
    begin: raytrace's vectors, three first writes each)."""
    try:
        key = id(obj)
        if key in _shadows:
            attributes = _shadows[key].attributes
            epoch = _threads.epoch
            # (A plain write in this epoch adds nothing, and neither does a read after it.)
            for name in names:
                if not (name in attributes and attributes[name][WRITE_SEEN] == epoch):
                    break
            else:
                return
    except (KeyError, AttributeError):
        pass
    cls = type(obj)
    if cls is _ModuleType:
        for name in names:
            (rwa if update else wa)(obj, name)
        return
    flags = _plain_run_flags(cls, names, WRITE)
    if update:
        # (As rwa's: after the store, the instance has its own attribute, and its read
        # is not of a class's too, see `_class_attribute_read`.)
        flags = tuple(flag if flag is None else flag | UPDATE for flag in flags)
    _access_run(obj, ATTR, names, lines, flags)


def _plain_run_flags(cls, names, access):
    """The flags of accesses (READ or WRITE) of `names` through an instance of `cls`
    (None: not data)."""
    try:
        # (A run's names are one constant tuple: its flags are kept by it.)
        return _run_flags[access][cls][names]
    except KeyError:
        return _new_run_flags(cls, names, access)


def _new_run_flags(cls, names, access):
    # (Worked out once for each class and run.)
    flags = []
    for name in names:
        try:
            plain = _plain[cls][name]
        except KeyError:
            plain = _classify(cls, name)
        flags.append(access if plain is True else access | THROUGH_CLASS if plain else None)
    running = [_runs_code(cls, name, access) for name in names]
    if True in running:
        # An access that runs the program's code may synchronise, and a run's accesses
        # are recorded before its first statement (reads) or after its last (stores and
        # updates): only those that no such access separates from the event are kept.
        if access == READ:
            first = running.index(True)
            flags[first + 1:] = [None] * (len(flags) - first - 1)
        else:
            last = len(running) - 1 - running[::-1].index(True)
            flags[:last] = [None] * last
    tables = _run_flags[access]
    if cls in tables:
        table = tables[cls]
    else:
        # (Read by every thread, as `_plain`'s tables.)
        table = {}
        hoststack.make_immortal((table,))
        table = tables.setdefault(cls, table)
    flags = table[names] = tuple(flags)
    return flags


def _runs_code(cls, name, access):
    """Whether a read (READ) or a store (WRITE) of attribute `name` of a `cls` instance
    may run code of the program's (which may synchronise): a property's function, a
    descriptor of a class of its own (`functools.cached_property`), the class's own
    `__getattribute__` or `__setattr__`."""
    hook = cls.__getattribute__ if access == READ else cls.__setattr__
    if type(hook) is _FunctionType:
        return True
    klass, attribute = _class_attribute(cls, name)
    if klass is None:
        return False
    kind = type(attribute)
    return issubclass(kind, property) or any(
        type(getattr(kind, method, None)) is _FunctionType
        for method in ("__get__", "__set__", "__delete__"))


def _access_each(target, space, keys, lines, flags):
    """A consumer's `access_run` where it has none: `access` for each."""
    for key, flag in zip(keys, flags):
        if flag is not None:
            if flag & UPDATE:
                flag ^= UPDATE
                _access(target, space, key, flag & THROUGH_CLASS)
            _access(target, space, key, flag)


_access_run = _access_each


def rwa(obj, name, _shadows=_shadows, _threads=_threads, id=id, WRITE_SEEN=WRITE_SEEN):
    """`obj.name op= v` was done, where `v` called nothing (see
    gilless.compiler.accesses): its read and its write, reported at once after the
    store. One call where `ra` and `wa` were two (pyperformance's nbody updates list
    items so, float attributes). What the host ran between the two could synchronise
    only through an operator of the program's own class; the read is reported as
    made after that, with the write (see docs/races.md)."""
    try:
        key = id(obj)
        if key in _shadows:
            # (A plain write in this epoch adds nothing, and neither does a read after it.)
            attributes = _shadows[key].attributes
            if name in attributes and attributes[name][WRITE_SEEN] == _threads.epoch:
                return
    except (KeyError, AttributeError):
        pass
    ra(None, obj, name)
    wa(obj, name)


def wa_on(obj, name, _shadows=_shadows, _threads=_threads, id=id, WRITE_SEEN=WRITE_SEEN):
    """`obj.name` is about to be assigned: `wa` before the store (see "Before the
    access" above; a standard-library module's global is published before it is
    stored, as `wa` does); returns `obj`."""
    try:
        key = id(obj)
        if key in _shadows:
            attributes = _shadows[key].attributes
            if name in attributes and attributes[name][WRITE_SEEN] == _threads.epoch:
                return obj
    except (KeyError, AttributeError):
        pass
    wa(obj, name)
    return obj


def wr_attr(value, obj, name):
    wa_on(obj, name)
    try:
        setattr(obj, name, value)
    except BaseException as error:
        hide_internal_frames(error)
        raise


def del_attr(obj, name):
    try:
        delattr(obj, name)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    wa(obj, name)


# The two references are assignment targets (`x.a += 1` reads and writes through one):
# a reference's item get, set and delete are the access its class names, with its
# own frame hidden inline, as the functions above do.

class _Reference:
    __slots__ = ("target", "key")

    def __getitem__(self, _):
        try:
            return self._read(self.target, self.key)
        except BaseException as error:
            hide_internal_frames(error)
            raise

    def __setitem__(self, _, value):
        try:
            self._write(value, self.target, self.key)
        except BaseException as error:
            hide_internal_frames(error)
            raise

    def __delitem__(self, _):
        try:
            self._delete(self.target, self.key)
        except BaseException as error:
            hide_internal_frames(error)
            raise


def _reference(kind, target, key):
    reference = kind()
    reference.target = target
    reference.key = key
    return reference


class _AttributeReference(_Reference):
    """An assignment target standing for `obj.name` (see gilless.compiler.accesses)."""

    __slots__ = ()
    _read, _write, _delete = map(staticmethod, (rd_attr, wr_attr, del_attr))


def attr_ref(obj, name):
    return _reference(_AttributeReference, obj, name)


# -- items ------------------------------------------------------------------------

def ri(value, container, key, _shadows=_shadows, _threads=_threads, id=id,
       READ_SEEN=READ_SEEN, READS_SEEN=READS_SEEN, _kinds=_kinds, type=type,
       _VALUE_KEYS=_VALUE_KEYS):
    """`container[key]` was read, giving `value` (returned)."""
    if type(container) is tuple:
        # (Nothing to report, as for every container that is not a LIST, DICT, SET or
        # DEQUE; a tuple, the commonest, is asked first. The shared_read workload under
        # -X race, 3.11: 0.80 of the time before.)
        return value
    location = key if type(key) in _VALUE_KEYS else _location(key)
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            if items is not None and location in items:
                record = items[location]
                epoch = _threads.epoch
                if record[READ_SEEN] == epoch or epoch in record[READS_SEEN]:
                    return value
    except (KeyError, TypeError, AttributeError):
        pass
    cls = type(container)
    kind = _kinds[cls] if cls in _kinds else _kind(cls)
    if kind and cls in _in_python and "__getitem__" in _in_python[cls]:
        return value
    if kind == DICT or (kind and type(key) is int and key >= 0):
        # (The usual keys, straight to the consumer: called from here, the access's
        # stack is found at its first look, see capture_stack.)
        _access(container, ITEM, location, READ)
    elif kind:
        _item_access(container, kind, key, READ)
    return value


def ri_on(container, key, _shadows=_shadows, _threads=_threads, id=id,
          READ_SEEN=READ_SEEN, READS_SEEN=READS_SEEN, type=type, _VALUE_KEYS=_VALUE_KEYS):
    """`container[key]` is about to be read: `ri` before the read (see "Before the
    access" above); returns `container`."""
    if type(container) is tuple:
        return container
    # (ri's filter, inline.)
    location = key if type(key) in _VALUE_KEYS else _location(key)
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            if items is not None and location in items:
                record = items[location]
                epoch = _threads.epoch
                if record[READ_SEEN] == epoch or epoch in record[READS_SEEN]:
                    return container
    except (KeyError, TypeError, AttributeError):
        pass
    ri(None, container, key)
    return container


def rd_item(container, key, type=type):
    cls = type(container)
    if cls is not tuple:  # (ri_on's first look, inline: a tuple's items are no location)
        ri_on(container, key)
    try:
        if (cls not in _PLAIN_ITEMS or type(key) not in _VALUE_KEYS) and (
                _method_in_python(cls, "__getitem__") or _key_runs_code(key)):
            return _from_program(operator.getitem, container, key)
        return container[key]
    except BaseException as error:
        hide_internal_frames(error)
        raise


def wi(container, key, _shadows=_shadows, _threads=_threads, id=id, WRITE_SEEN=WRITE_SEEN,
       ATOMIC_SEEN=ATOMIC_SEEN, STRUCTURE=STRUCTURE, _kinds=_kinds, type=type,
       _VALUE_KEYS=_VALUE_KEYS):
    """`container[key]` was assigned."""
    location = key if type(key) in _VALUE_KEYS else _location(key)
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            if items is not None and location in items:
                epoch = _threads.epoch
                if items[location][WRITE_SEEN] == epoch and \
                        items[STRUCTURE][ATOMIC_SEEN] == epoch:
                    return
    except (KeyError, TypeError, AttributeError):
        pass
    cls = type(container)
    kind = _kinds[cls] if cls in _kinds else _kind(cls)
    if kind and cls in _in_python and "__setitem__" in _in_python[cls]:
        return
    if kind == DICT or (kind and type(key) is int and key >= 0):
        # (As in ri.)
        _access(container, ITEM, location, WRITE)
        # The contents' write: a container filled key by key writes new keys, each a
        # first, in one epoch, and its contents once in it (the filter of
        # _contents_written, inline: the item's access made the table).
        try:
            items = _shadows[cid].items
            if STRUCTURE in items and items[STRUCTURE][ATOMIC_SEEN] == _threads.epoch:
                return
        except (KeyError, TypeError, AttributeError):
            pass
        _access(container, STRUCT, None, _ATOMIC_WRITE)
    elif kind:
        _item_access(container, kind, key, WRITE)


def rwi(container, key, _shadows=_shadows, _threads=_threads, id=id,
        WRITE_SEEN=WRITE_SEEN, ATOMIC_SEEN=ATOMIC_SEEN, STRUCTURE=STRUCTURE, type=type,
        _VALUE_KEYS=_VALUE_KEYS):
    """`container[key] op= v` was done, where `v` called nothing: as `rwa`."""
    location = key if type(key) in _VALUE_KEYS else _location(key)
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            if items is not None and location in items:
                epoch = _threads.epoch
                if items[location][WRITE_SEEN] == epoch and \
                        items[STRUCTURE][ATOMIC_SEEN] == epoch:
                    return
    except (KeyError, TypeError, AttributeError):
        pass
    ri(None, container, key)
    wi(container, key)


def rwi_run(container, keys, lines, _shadows=_shadows, _threads=_threads, id=id,
            WRITE_SEEN=WRITE_SEEN, ATOMIC_SEEN=ATOMIC_SEEN, STRUCTURE=STRUCTURE):
    """A run of `container[key] op= v` was done, at constant keys, each `v` calling
    nothing (see gilless.compiler.accesses): `rwi` for each of `keys`, in one call
    after the last (nbody's `v1[0] -= dx * b2m` and the next two lines)."""
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            epoch = _threads.epoch
            if items is not None and items[STRUCTURE][ATOMIC_SEEN] == epoch:
                # (Constant keys: each is its own location, see `_location`.)
                for key in keys:
                    if not (key in items and items[key][WRITE_SEEN] == epoch):
                        break
                else:
                    return
    except (KeyError, TypeError, AttributeError):
        pass
    cls = type(container)
    kind = _kind_for(cls, "__setitem__")
    if kind != DICT and not (kind and all(type(key) is int and key >= 0 for key in keys)):
        for key in keys:
            rwi(container, key)
        return
    _access_run(container, ITEM, keys, lines, (WRITE | UPDATE,) * len(keys))
    # The contents' write (as `wi`'s), at the event's line.
    if not _seen(container, STRUCTURE, ATOMIC_SEEN):
        _access(container, STRUCT, None, _ATOMIC_WRITE)


def wi_on(container, key, _shadows=_shadows, _threads=_threads, id=id,
          WRITE_SEEN=WRITE_SEEN, ATOMIC_SEEN=ATOMIC_SEEN, STRUCTURE=STRUCTURE, type=type,
          _VALUE_KEYS=_VALUE_KEYS):
    """`container[key]` is about to be assigned: `wi` before the store (see "Before the
    access" above); returns `container`."""
    # (wi's filter, inline.)
    location = key if type(key) in _VALUE_KEYS else _location(key)
    try:
        cid = id(container)
        if cid in _shadows:
            items = _shadows[cid].items
            if items is not None and location in items:
                epoch = _threads.epoch
                if items[location][WRITE_SEEN] == epoch and \
                        items[STRUCTURE][ATOMIC_SEEN] == epoch:
                    return container
    except (KeyError, TypeError, AttributeError):
        pass
    wi(container, key)
    return container


def wr_item(value, container, key):
    wi_on(container, key)
    try:
        if (type(container) not in _PLAIN_ITEMS or type(key) not in _VALUE_KEYS) and (
                _method_in_python(type(container), "__setitem__") or _key_runs_code(key)):
            _from_program(operator.setitem, container, key, value)
        else:
            container[key] = value
    except BaseException as error:
        hide_internal_frames(error)
        raise


def del_item(container, key):
    kind = _kind_for(type(container), "__delitem__")
    if (kind == LIST or kind == DEQUE) and type(key) is not slice:
        # The position a deletion names, taken before it shifts the items after it.
        try:
            key = _index(container, key)
        except BaseException:
            pass  # (del raises below, as the host does)
    try:
        if (type(container) not in _PLAIN_ITEMS or type(key) not in _VALUE_KEYS) and (
                _method_in_python(type(container), "__delitem__") or _key_runs_code(key)):
            _from_program(operator.delitem, container, key)
        else:
            del container[key]
    except BaseException as error:
        hide_internal_frames(error)
        raise
    _item_event(container, key, WRITE, "__delitem__")
    if kind == DICT or kind == SET:
        _let_go(container, (key,))


def _let_go(container, keys):
    """Forget the records of `keys`, removed from the dict or set `container`, that are
    objects: a record holds its key, and a removed key's finalizer, or the callback of a
    removed weak reference (a `WeakSet`'s), runs when the program lets go of it, as
    without the detector. A later access of an equal key is a first one."""
    try:
        items = _shadows[id(container)].items
        if items:
            for key in keys:
                if type(key) not in _VALUE_KEYS:
                    items.pop(_location(key), None)
    except (KeyError, TypeError, AttributeError):
        pass


def wr_slice(container, _shadows=_shadows, _threads=_threads, id=id, _kinds=_kinds, type=type,
             ATOMIC_SEEN=ATOMIC_SEEN, STRUCTURE=STRUCTURE):
    """After `container[a:b] = ...` or `del container[a:b]`."""
    cls = type(container)
    kind = _kind_for(cls, "__setitem__")
    if kind == LIST or kind == DEQUE:
        # (As _item_event would: _contents_written, with its filter inline, as a list's
        # slices are often replaced in a loop, pyperformance's fannkuch.)
        try:
            address = id(container)
            if address in _shadows:
                items = _shadows[address].items
                if items is not None and STRUCTURE in items and \
                        items[STRUCTURE][ATOMIC_SEEN] == _threads.epoch:
                    return
        except (KeyError, TypeError, AttributeError):
            pass
        _access(container, STRUCT, None, _ATOMIC_WRITE)
    else:
        _item_event(container, _WHOLE, WRITE, "__setitem__")


_WHOLE = slice(None)


class _ItemReference(_Reference):
    """An assignment target standing for `container[key]`."""

    __slots__ = ()
    _read, _write, _delete = map(staticmethod, (rd_item, wr_item, del_item))


def item_ref(container, key):
    return _reference(_ItemReference, container, key)


def contained(result, item, container):
    """`item in container` was tested, giving `result` (returned)."""
    _membership(item, container)
    return result


def in_on(item, container):
    """`item in container` is about to be tested (see "Before the access"); returns
    `container`."""
    _membership(item, container)
    return container


def contains(item, container):
    try:
        result = item in container
    except BaseException as error:
        hide_internal_frames(error)
        raise
    _membership(item, container)
    return result


def _membership(item, container):
    # Membership in a list scans it at once (atomic); in a dict or set it reads one key.
    kind = _kind_for(type(container), "__contains__")
    if kind == DICT or kind == SET:
        location = _location(item)
        if not _seen(container, location, READ_SEEN):
            _access(container, ITEM, location, READ)


def iter_source(iterable, _kinds=_kinds, type=type, _seen=_seen, STRUCTURE=STRUCTURE,
                READ_SEEN=READ_SEEN):
    """`for v in iterable` begins: a read of a container's contents, or of the dict that
    a view (`d.items()`) or an iterator of a dict shows."""
    cls = type(iterable)
    kind = _kinds[cls] if cls in _kinds else _kind(cls)
    if kind and (cls not in _in_python or "__iter__" not in _in_python[cls]):
        if not _seen(iterable, STRUCTURE, READ_SEEN):
            _access(iterable, STRUCT, None, READ)
    elif cls in _DICT_VIEWS:
        for mapping in _referents(iterable):
            if _kind(type(mapping)) == DICT and not _seen(mapping, STRUCTURE, READ_SEEN):
                _access(mapping, STRUCT, None, READ)
    return iterable


# A view or iterator of a dict (an OrderedDict's included) refers to the dict it shows.
_DICT_VIEWS = {type(shown) for mapping in ({}, _OrderedDict())
               for view in (mapping.keys(), mapping.values(), mapping.items())
               for shown in (view, iter(view), reversed(view))}


# -- container methods --------------------------------------------------------------

# Each event below gets (container, args, kwargs, result, before): the call's arguments,
# what it returned, and for the methods that need them the container's keys (or
# members) before the call (see _BEFORE).

def _first_argument_item(container, args, flags):
    if args:
        _access(container, ITEM, _location(args[0]), flags)
    if flags:
        _contents_written(container)


def _structure_write(container, args, kwargs, result, before):
    _contents_written(container)


def _plain_structure_write(container, args, kwargs, result, before):
    _access(container, STRUCT, None, WRITE)


def _item_read(container, args, kwargs, result, before):
    if args and not _seen(container, _location(args[0]), READ_SEEN):
        _item_access(container, _kind(type(container)), args[0], READ)


def _item_written(container, args, kwargs, result, before):
    # (`__setitem__` and `__delitem__` called as methods, by a subclass's own.)
    if args:
        _item_access(container, _kind(type(container)), args[0], WRITE)


def _member_read(container, args, kwargs, result, before):
    # (`__contains__` called as a method: a list's scans it at once, as `k in c` does.)
    if args and _kind(type(container)) in (DICT, SET):
        location = _location(args[0])
        if not _seen(container, location, READ_SEEN):
            _access(container, ITEM, location, READ)


def _contents_read(container, args, kwargs, result, before):
    if not _seen(container, STRUCTURE, READ_SEEN):
        _access(container, STRUCT, None, READ)


def _item_update(container, args, kwargs, result, before):
    _first_argument_item(container, args, _ATOMIC_WRITE)


def _items_written(container, keys):
    for key in keys:
        _access(container, ITEM, _location(key), _ATOMIC_WRITE)
    _contents_written(container)


def _members(collection):
    """The keys or members an argument holds, read without running guest code (none
    for the iterables that it would take guest code, or consuming them, to read).
    (Told by its type: `isinstance` would ask the object for its `__class__`, guest
    code for some, ReferenceError for a dead weak proxy.)"""
    if issubclass(type(collection), dict):
        return dict.keys(collection)
    if issubclass(type(collection), set):
        return set.__iter__(collection)
    if issubclass(type(collection), frozenset):
        return frozenset.__iter__(collection)
    if type(collection) in (list, tuple):
        return collection
    return ()


def _dict_update(container, args, kwargs, result, before):
    keys = list(kwargs)
    if args:
        source = args[0]
        if issubclass(type(source), dict):
            keys += dict.keys(source)
        elif type(source) in (list, tuple):
            keys += [pair[0] for pair in source if type(pair) is tuple and len(pair) == 2]
    _items_written(container, keys)


def _taken(container, args, kwargs, result, before):
    # (The item's put happens before: see _put.)
    _received(container)
    _contents_written(container)


def _popped_key(container, args, kwargs, result, before):
    # dict.popitem returns (key, value); set.pop the member.
    keys = (result[0],) if type(result) is tuple and _kind(type(container)) == DICT \
        else (result,)
    _items_written(container, keys)
    _let_go(container, keys)


def _removed(container, args, kwargs, result, before):
    # (Told by identity: the container keeps its key objects, and comparing them could
    # call the program's code.)
    remaining = set(map(id, _members(container)))
    keys = [key for key in before if id(key) not in remaining]
    _items_written(container, keys)
    _let_go(container, keys)


def _item_removed(container, args, kwargs, result, before):
    _item_update(container, args, kwargs, result, before)
    _let_go(container, args[:1])


def _item_deleted(container, args, kwargs, result, before):
    # (`__delitem__` called as a method, by a subclass's own.)
    _item_written(container, args, kwargs, result, before)
    if _kind(type(container)) in (DICT, SET):
        _let_go(container, args[:1])


def _set_update(container, args, kwargs, result, before):
    _items_written(container, [member for argument in args for member in _members(argument)])


_STRUCTURE_WRITERS = ("append", "appendleft", "extend", "extendleft", "insert", "pop",
                      "popleft", "remove", "clear", "reverse", "rotate")
# The methods the syntax calls, called as methods: by a subclass's own methods, which
# the syntax calls (`super().__setitem__(k, v)`, `dict.__getitem__(self, k)`).
_SYNTAX_EVENTS = {"__getitem__": _item_read, "__setitem__": _item_written,
                  "__delitem__": _item_deleted, "__contains__": _member_read,
                  "__iter__": _contents_read}
# kind -> method name -> what calling it does (after it returned).
_EVENTS = {
    LIST: dict.fromkeys(_STRUCTURE_WRITERS, _structure_write) | {
        "pop": _taken,
        # Sorting reads and rewrites every item while other threads could mutate it.
        "sort": _plain_structure_write} | _SYNTAX_EVENTS,
    DEQUE: dict.fromkeys(_STRUCTURE_WRITERS, _structure_write) | {
        "pop": _taken, "popleft": _taken} | _SYNTAX_EVENTS,
    DICT: {
        "get": _item_read, "setdefault": _item_update, "pop": _item_removed,
        "popitem": _popped_key, "update": _dict_update, "clear": _removed} | _SYNTAX_EVENTS,
    SET: {
        "add": _item_update, "discard": _item_removed, "remove": _item_removed,
        "pop": _popped_key, "clear": _removed, "update": _set_update,
        "difference_update": _set_update, "intersection_update": _removed,
        "symmetric_difference_update": _set_update} | _SYNTAX_EVENTS,
}


def _keys_before(container):
    """The keys (or members) that `clear` and `intersection_update` events compare with
    what remains."""
    return list(_members(container))


def _put(container):
    # A deque is a channel between threads, as CPython documents its appends and pops:
    # what a thread did before it puts items in happens before what a thread does after
    # it takes one out (the consumer's `publishing`, before the call, and `received`,
    # after it).
    _publishing(container)


def _list_put(container):
    # So is a list, whose appends and pops are atomic too (each holds the list's lock on
    # free-threaded CPython), once two threads use it (the consumer's `putting` and
    # `taking` before the call, `received` after a take).
    _putting(container)


def _list_take(container):
    _taking(container)


# kind -> method name -> what must be done before the call (what it returns is the
# event's `before`).
_BEFORE = {
    DICT: dict.fromkeys(("clear", "intersection_update"), _keys_before),
    SET: dict.fromkeys(("clear", "intersection_update"), _keys_before),
    DEQUE: dict.fromkeys(("append", "appendleft", "extend", "extendleft", "insert"), _put),
    LIST: dict.fromkeys(("append", "extend", "insert"), _list_put) | {"pop": _list_take},
}
# kind -> method name -> (its event, what must be done before the call, or None).
_METHOD_EVENTS = {kind: {name: (event, _BEFORE.get(kind, {}).get(name))
                         for name, event in events.items()}
                  for kind, events in _EVENTS.items()}


def method(obj, name, _receivers=_receivers, type=type, getattr=getattr):
    """`obj.name`, which the guest calls next (`c.append(v)` is `method(c, 'append')(v)`):
    the bound method itself, unless it is a container's own (C) method, whose call is an
    event (then a callable that calls it and reports it); so is that of a `super()`
    bound to a container, and of a container's class called with the container first
    (`dict.get(self, k)`), as a subclass's methods call them. A method a subclass
    defines in Python is its code, whose own accesses are events. So a method of
    another object that has a container method's name is called by the guest
    directly, after the method's lookup and before its arguments, as CPython orders
    them."""
    try:
        bound = getattr(obj, name)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    cls = type(obj)
    kind = _receivers[cls] if cls in _receivers else _receiver(cls)
    if not kind or type(bound) is _MethodType or type(bound) is _FunctionType:
        return bound
    if kind < 0:
        return _base_method(obj, kind, name, bound)
    events = _METHOD_EVENTS[kind]
    if name not in events:
        return bound
    event, prepare = events[name]
    if name in _CALLING_METHODS:
        return _partial(_container_call_from_program, event, prepare, obj, bound)
    return _partial(_container_call, event, prepare, obj, bound)


def _base_method(obj, kind, name, bound):
    """`method` where `obj` is a `super()` object or a class."""
    if kind == SUPER:
        container = obj.__self__
        kind = _kind(type(container))
        if not kind or name not in _METHOD_EVENTS[kind]:
            return bound
        event, prepare = _METHOD_EVENTS[kind][name]
        return _partial(_container_call, event, prepare, container, bound)
    if not _kind(obj):
        return bound
    return _partial(_unbound_call, name, bound)


def _container_call(event, prepare, container, bound, /, *args, **kwargs):
    """The guest's call of a container's method `bound`, and its event."""
    before = None if prepare is None else prepare(container)
    try:
        result = bound(*args, **kwargs)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    event(container, args, kwargs, result, before)
    return result


# Container methods whose C code calls the program's (its items' comparisons, an
# argument's iteration, a key function): called from the program's frame, whose
# callees they are in CPython.
_CALLING_METHODS = frozenset({"sort", "remove", "index", "count", "extend", "extendleft",
                              "update", "__contains__"})


def _container_call_from_program(event, prepare, container, bound, /, *args, **kwargs):
    """`_container_call`, for a method of `_CALLING_METHODS`."""
    before = None if prepare is None else prepare(container)
    try:
        result = _from_program(bound, *args, **kwargs)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    event(container, args, kwargs, result, before)
    return result


def _unbound_call(name, bound, /, *args, **kwargs):
    """The guest's call of a container class's method `bound` (`dict.get`), with the
    container first, and its event (as `_container_call`'s) if the first argument is
    a container."""
    kind = _kind(type(args[0])) if args else 0
    event, prepare = _METHOD_EVENTS[kind].get(name, _NO_EVENT) if kind else _NO_EVENT
    before = None if prepare is None else prepare(args[0])
    try:
        result = bound(*args, **kwargs)
    except BaseException as error:
        hide_internal_frames(error)
        raise
    if event is not None:
        event(args[0], args[1:], kwargs, result, before)
    return result


_NO_EVENT = (None, None)


# -- variables ----------------------------------------------------------------------

def rd_global(value, name):
    """Global `name` was read, giving `value` (returned)."""
    namespace = sys._getframe(1).f_globals
    if not _seen(namespace, name, READ_SEEN, attributes=True):
        _access(namespace, ATTR, name, READ)
    return value


def wr_global(name):
    namespace = sys._getframe(1).f_globals
    if not _seen(namespace, name, WRITE_SEEN, attributes=True):
        _access(namespace, ATTR, name, WRITE)


def rd_cell(value, getter, name, closure):
    """Closure variable `name` was read, giving `value` (returned)."""
    cell, key = getter.__closure__[0], (name, closure)
    if not _seen(cell, key, READ_SEEN, attributes=True):
        _access(cell, VAR, key, READ)
    return value


def wr_cell(getter, name, closure):
    cell, key = getter.__closure__[0], (name, closure)
    if not _seen(cell, key, WRITE_SEEN, attributes=True):
        _access(cell, VAR, key, WRITE)


# -- a standard-library module's own state -------------------------------------------
#
# Its globals are published as its body's are (the consumer's `module_executed` and
# `imported`, by the module's name): a store of one publishes what the storing thread
# did before, a read acquires it. See gilless.compiler.accesses.

def _module_name(namespace):
    return namespace["__name__"] if "__name__" in namespace else None


# id(namespace) -> (the namespace, its module's name) for the globals of the standard
# library's modules (a module's attributes, read or written from anywhere, are its
# state too), or None for other namespaces. (The namespace is held: its id must not be
# reused while it is taken for a standard-library module's.)
_stdlib_namespaces = {}


def _stdlib_module(namespace):
    """The name of the standard-library module whose globals `namespace` is, or None."""
    key = id(namespace)
    if key in _stdlib_namespaces:
        known = _stdlib_namespaces[key]
        return known[1] if known is not None else None
    file = namespace["__file__"] if "__file__" in namespace else None
    name = _module_name(namespace)
    known = (namespace, name) if type(file) is str and is_stdlib(file) and name else None
    _stdlib_namespaces[key] = known
    return name if known is not None else None


def module_acquired(value):
    """A global of a standard-library module was read, giving `value` (returned)."""
    name = _module_name(sys._getframe(1).f_globals)
    if name is not None:
        _module_read((name,))
    return value


def module_released(value):
    """`value` is about to be stored into a global of a standard-library module (or was,
    for None: a store other than an assignment's)."""
    name = _module_name(sys._getframe(1).f_globals)
    if name is not None:
        _module_published(name)
    return value


def published(value):
    """A function whose results a cache keeps returns `value` (returned): the cache hands
    it to the threads that call the function later (see the consumer's `published`)."""
    _returned(value)
    return value


# -- the words for a location, for the tools' reports ----------------------------------

def describe(target, space, key, key_repr):
    """`attribute 'n' of Stats object`, `item 3 of list`...: the location an event
    touches; `key_repr` writes a key (a tool chooses whether that may run guest code)."""
    if space == VAR:
        name, closure = key
        return f"variable {name!r} of closure {closure}"
    if space == STRUCT:
        return f"contents of {type(target).__name__}"
    if space == ITEM:
        key = _key_of(key)
        if issubclass(type(target), (set, frozenset)):
            return f"member {key_repr(key)} of {type(target).__name__}"
        return f"item {key_repr(key)} of {type(target).__name__}"
    if type(target) is dict:
        # A module's namespace (plain dicts have no attributes).
        return f"global {key!r} of module {target.get('__name__', '?')}"
    if issubclass(type(target), type):
        return f"attribute {key!r} of class {target.__qualname__}"
    return f"attribute {key!r} of {type(target).__name__} object"


# What tools see of the event layer (gilless.module.systrace, sysmonitoring): every
# function lowering puts into guest code is one of this module's public ones, and the
# guest's call of a container's method is `_container_call`'s.
frames.INSERTED_CALLS.update(
    value.__code__ for name, value in list(globals().items())
    if type(value) is _FunctionType and value.__module__ == __name__
    and not name.startswith("_"))
frames.CALLS_FOR_GUEST.update((_container_call.__code__, _unbound_call.__code__))
