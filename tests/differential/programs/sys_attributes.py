# sys attributes that a program may inspect.
import os
import sys
print(sys.argv, sys.flags.optimize, sys.flags.dont_write_bytecode, sys.flags.no_site, sys.flags.inspect)
print(type(sys.flags).__name__, sys.flags.verbose, sys.flags.quiet, sys.flags.ignore_environment, sys.flags.bytes_warning)
print(sys.version_info, sys.version, hex(sys.hexversion), sys.api_version)
print(sys.platform, sys.maxunicode, sys.float_info.max, sys.int_info.bits_per_digit, sys.hash_info.width)
print(sys.stdout.name, sys.stderr.name, sys.stdin.name, sys.stdout is sys.__stdout__, sys.stdout.isatty())
print(sys.getsizeof(0), sys.intern("abc") == "abc", sys.exc_info(), sys.getfilesystemencoding())
print(type(sys.path_hooks).__name__, type(sys.meta_path).__name__, sys.path_importer_cache.__class__.__name__)
print(sys.modules["sys"] is sys, sys.modules["__main__"].__name__, "builtins" in sys.modules)
# sys.executable is the gilless command itself (so that subprocesses run gilless), beside the host.
print(sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(sys.executable), sys.dont_write_bytecode)
print(callable(sys.displayhook), sys.excepthook is sys.__excepthook__, sys.displayhook is sys.__displayhook__)
print(sys.flags)
print(type(sys.flags), sys.flags.n_fields == len(sys.flags), sys.flags[:3])
print(sys.flags.__reduce__())
try:
    sys.flags.optimize = 2
except AttributeError as e:
    print("AttributeError:", e)
try:
    sys._getframe(1)
except ValueError as e:
    print("ValueError:", e)


def frame_names():
    return sys._getframe(0).f_code.co_name, sys._getframe(1).f_code.co_name


print(frame_names(), eval("sys._getframe(1).f_code.co_name"))
import io
saved = sys.stdout
sys.stdout = io.StringIO()
print("hidden")
value = sys.stdout.getvalue()
sys.stdout = saved
print(repr(value))
sys.displayhook(42)
import builtins
print(builtins._)


def hook(t, v, tb):
    print("custom excepthook:", t.__name__, v, file=sys.stderr)


sys.excepthook = hook
raise ValueError("handled by hook")
