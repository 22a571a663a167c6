# Functions that gilless writes in Python where CPython's are C pass as built-ins:
# `inspect` says so, and `pydoc` lists them among their module's functions.
import inspect
import pickle
import pydoc
import sys
import types

for function in (sys.is_finalizing, input, pickle.dumps, pickle.loads):
    print(function.__name__, repr(function), inspect.isbuiltin(function),
          inspect.isroutine(function), isinstance(function, types.BuiltinFunctionType))

text = pydoc.plain(pydoc.render_doc(sys))
functions = text[text.index("\nFUNCTIONS"):text.index("\nDATA")]
print(sorted(line.split("(")[0].strip() for line in functions.splitlines()
             if line.startswith("    ") and not line.startswith("     ") and "(" in line))
