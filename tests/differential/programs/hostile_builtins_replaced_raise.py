# An uncaught exception after builtins were replaced: reported as CPython does.
import builtins

for name in ("str", "repr", "len", "isinstance", "getattr", "hasattr", "type"):
    setattr(builtins, name, None)
raise ValueError("boom")
