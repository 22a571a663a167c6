"""Where per-user files go: the platform's convention, and nothing of the runtime.

A leaf module that imports no other part of gilless, so that the repository's
benchmarks (which keep the pyperformance download in the user's cache) resolve
their directory the same way as the compile cache without loading the compiler.
"""

import os


def user_cache_dir(name, override_variable):
    """`$override_variable` if set, else `name` under the user's cache directory."""
    explicit = os.environ.get(override_variable)
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, name)
