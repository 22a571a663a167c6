"""What gilless knows of its host without `sysconfig` is what `sysconfig` says."""

import os
import sys
import sysconfig

from gilless.base import hostbuild


def test_the_standard_library_is_sysconfigs():
    assert os.path.samefile(hostbuild.STDLIB, sysconfig.get_paths()["stdlib"])
    assert os.path.isfile(os.path.join(hostbuild.STDLIB, "os.py"))


def test_the_extension_modules_are_where_the_host_finds_its_own():
    base = {"platbase": sys.base_exec_prefix, "installed_platbase": sys.base_exec_prefix}
    expected = os.path.join(sysconfig.get_path("platstdlib", vars=base), "lib-dynload")
    assert hostbuild.LIB_DYNLOAD == expected
    # The directory the host's own start-up put on its path.
    assert hostbuild.LIB_DYNLOAD in sys.path


def test_a_free_threaded_build_is_told_as_sysconfig_tells_it():
    assert hostbuild.FREE_THREADED_BUILD == bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
