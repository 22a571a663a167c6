"""What gilless needs to know of its host's build and layout, found without `sysconfig`.

Importing `sysconfig` and expanding its install scheme costs a start-up
about 1.5 ms on CPython 3.11 (2.5 ms on 3.13t), more than anything it tells
gilless is worth: the standard library's directory is the one the host's
own start-up computed (`sys._stdlib_dir`, from 3.11), the directory of its
extension modules follows the same rule as the host's start-up
(Modules/getpath.py: `lib-dynload` under the base exec prefix's
`platlibdir`), and a free-threaded build says so in its ABI flags. Where
those are missing (another platform), `sysconfig` answers.
"""

import os
import sys

# `sys.abiflags` is POSIX's; a free-threaded build's holds "t".
if hasattr(sys, "abiflags"):
    FREE_THREADED_BUILD = "t" in sys.abiflags
else:
    import sysconfig
    FREE_THREADED_BUILD = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))

# Free-threaded builds before 3.15 crash where threads share some objects (measured on
# 3.13.5t, fixed upstream in 3.14 or 3.15; 3.14t was not measured): gilless guards the
# cases it can on those hosts (docs/hosts.md).
CRASHES_ON_SHARING = FREE_THREADED_BUILD and sys.version_info < (3, 15)


def _stdlib():
    known = getattr(sys, "_stdlib_dir", None)
    if known:
        return known
    import sysconfig
    return sysconfig.get_paths()["stdlib"]


# The directory of the host's pure-Python standard library.
STDLIB = _stdlib()


def _platstdlib():
    if os.name == "posix":
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        return os.path.join(sys.base_exec_prefix, sys.platlibdir,
                            version + ("t" if FREE_THREADED_BUILD else ""))
    import sysconfig
    base = {"platbase": sys.base_exec_prefix, "installed_platbase": sys.base_exec_prefix}
    return sysconfig.get_path("platstdlib", vars=base)


# The directory of the host's own C extension modules, also when gilless runs from a
# venv (whose sysconfig names the venv's platform library, without one).
LIB_DYNLOAD = os.path.join(_platstdlib(), "lib-dynload")


def _stdlib_zip():
    version = f"{sys.version_info[0]}{sys.version_info[1]}" + ("t" if FREE_THREADED_BUILD else "")
    if os.name == "posix":
        return os.path.join(sys.base_prefix, sys.platlibdir, f"python{version}.zip")
    # Beside the interpreter's DLL, as CPython's getpath puts it.
    return os.path.join(sys.base_exec_prefix, f"python{version}.zip")


# The zip file of the standard library that CPython's sys.path names before its directory,
# whether or not there is one.
STDLIB_ZIP = _stdlib_zip()
