"""Struct sequences made in Python: the named tuples CPython's C modules return.

`sys.flags` of the guest must hold the guest's values, but the host's own
struct sequence types cannot be instantiated from Python. These classes
look and behave like them: a tuple subclass named after the C type
(`sys.flags`), with the C repr, read-only fields ("readonly attribute"),
fields that are attributes only and not items (as `sys.flags.gil` is on
3.13), and the `n_fields` counts.
"""

from _operator import itemgetter


def _refuse_to_set(instance, value=None):
    raise AttributeError("readonly attribute")


def _read_only_field(index):
    """A field read from the tuple's items: read by C code alone (a property over an
    `itemgetter`), as the guest's importlib reads `sys.flags.verbose` for every message
    it might print."""
    return property(itemgetter(index), _refuse_to_set, _refuse_to_set)


def _read_only_extra_field(name):
    """A field that is an attribute only, not one of the items."""
    read = itemgetter(name)
    return property(lambda instance: read(instance._extra), _refuse_to_set, _refuse_to_set)


def struct_sequence_type(qualified_name, fields, extra_fields=(), instantiable=True):
    """A struct sequence class such as CPython's `sys.flags`, for `qualified_name`:
    `fields` are items and attributes, `extra_fields` attributes only. A type that
    is not `instantiable` refuses to be called, as CPython's `sys.flags` and
    `sys.version_info` do; its one instance is made with `new_instance`."""
    module, _, name = qualified_name.rpartition(".")
    fields = tuple(fields)
    extra_fields = tuple(extra_fields)

    if instantiable:
        def __new__(cls, values, extra=None):
            return new_instance(cls, values, extra)
    else:
        def __new__(cls, *args, **kwargs):
            raise TypeError(f"cannot create '{qualified_name}' instances")

    def __repr__(self):
        inner = ", ".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"{qualified_name}({inner})"

    def __reduce__(self):
        # CPython's shape: the items, then a dict of the attribute-only fields (empty if none).
        return (type(self), (tuple(self), dict(getattr(self, "_extra", {}))))

    namespace = {
        "__new__": __new__, "__repr__": __repr__,
        "__reduce__": __reduce__, "__module__": module, "__match_args__": fields,
        "n_fields": len(fields) + len(extra_fields), "n_sequence_fields": len(fields),
        "n_unnamed_fields": 0, "_extra_fields": extra_fields,
    }
    for index, field in enumerate(fields):
        namespace[field] = _read_only_field(index)
    for field in extra_fields:
        namespace[field] = _read_only_extra_field(field)
    if not extra_fields:
        # Attribute-only values need an instance dict (tuple subtypes take no slots).
        namespace["__slots__"] = ()
    cls = type(name, (tuple,), namespace)
    cls.__qualname__ = name
    return cls


def new_instance(cls, values, extra=None):
    """An instance of the struct sequence class `cls`, with `values` as its items and
    `extra` the values of its attribute-only fields."""
    fields, extra_fields = cls.__match_args__, cls._extra_fields
    values = tuple(values)
    if len(values) != len(fields):
        raise TypeError(f"{cls.__module__}.{cls.__name__}() takes a {len(fields)}-sequence "
                        f"({len(values)}-sequence given)")
    instance = tuple.__new__(cls, values)
    if extra_fields:
        instance._extra = {field: (extra or {}).get(field) for field in extra_fields}
    return instance
