"""The pytest plugin of the tool a guest world runs under, where the guest's pytest finds it.

The race detector and the schedule explorer each have a pytest plugin, guest code
(`gilless/race/pytest_plugin.py`, `gilless/schedule/pytest_plugin.py`) that the
guest's pytest must load. pytest loads plugins by their `pytest11` entry points,
which it reads from the distributions that the guest's `importlib.metadata` finds;
but the environment a program runs in need not hold gilless's distribution or its
package: a virtual environment made by `gilless -m venv` has neither on its
`sys.path`. So under a tool with a plugin, one finder of this module's (a
`PluginFinder`) is in the guest's `sys.meta_path`, just before `PathFinder`. It
finds

- the plugin's module, under a private top-level name (`_gilless_race_pytest`,
  `_gilless_schedule_pytest`, needing no `gilless` package in the guest), compiled
  from the plugin's file in the world's mode as any module the guest imports;
- for `importlib.metadata`, a distribution `gilless` whose one entry point is the
  plugin's (`pytest11`, `gilless-race` or `gilless-schedule`: the name that
  `-p no:NAME` blocks and `-p NAME` loads). It is found where `sys.path` is
  searched, not where other paths are (`distributions(path=[...])`, as pip
  searches site-packages).

Being before `PathFinder`, its distribution is the first that pytest reads, the
same in every environment: in one where another distribution declares the same
entry point (an installation of gilless from before the plugins were found this
way), pytest skips that one as already registered, so the plugin loads once. The
default mode, and a tool without a plugin, have no such finder.
"""

import os

import gilless
from gilless.base.state import world

# Frames of this module are gilless's (read by gilless.base.frames.is_internal).
__gilless_internal__ = True

DISTRIBUTION = "gilless"


def install(space, entry_point, module, path):
    """Put the finder of a tool's plugin (what the tool's `pytest_plugin` says: the entry
    point's name, the guest module's name, the plugin's file) in the guest's
    `sys.meta_path`, whose import system `importing.install` has built, before
    `PathFinder`."""
    meta_path = space.sys.meta_path
    path_finder = space.modules["_frozen_importlib_external"].PathFinder
    position = meta_path.index(path_finder) if path_finder in meta_path else len(meta_path)
    meta_path.insert(position, PluginFinder(space, entry_point, module, path))


class PluginFinder:
    """The guest's finder of a tool's pytest plugin: its module and its distribution."""

    def __init__(self, space, entry_point, module, path):
        self._space = space
        self.entry_point = entry_point
        self.module = module
        self.path = path
        self._distribution_class = None

    def __repr__(self):
        return f"<gilless pytest plugin finder ({self.entry_point})>"

    def find_spec(self, name, path=None, target=None):
        if name != self.module:
            return None
        external = world.modules["_frozen_importlib_external"]
        loader = self._space.source_loader_class(name, self.path)
        return external.spec_from_file_location(name, self.path, loader=loader)

    def invalidate_caches(self):
        pass

    def find_distributions(self, context=None):
        """`importlib.metadata`'s question: the plugin's distribution, when every one or
        `gilless` is asked for, on the guest's `sys.path` (the search's default)."""
        name = getattr(context, "name", None)
        # (The name as importlib.metadata normalizes it, runs of "-", "_" and "." made
        # one "_": the same as in lower case for one that has none.)
        if name is not None and name.lower() != DISTRIBUTION:
            return iter(())
        paths = getattr(context, "__dict__", {}).get("path")
        if paths is not None and paths is not world.sys["path"]:
            return iter(())
        metadata = self._space.import_module("importlib.metadata")
        if self._distribution_class is None:
            self._distribution_class = _distribution_class(
                metadata, self._space.import_module("pathlib"), self)
        return iter((self._distribution_class(),))


def _distribution_class(metadata, pathlib, plugin):
    """A subclass of the guest's `importlib.metadata.Distribution` whose files are the
    metadata of `plugin` (a PluginFinder)."""
    files = {
        "METADATA": (f"Metadata-Version: 2.1\nName: {DISTRIBUTION}\n"
                     f"Version: {gilless.__version__}\n"
                     f"Summary: gilless's pytest plugin ({plugin.entry_point})\n"),
        "entry_points.txt": f"[pytest11]\n{plugin.entry_point} = {plugin.module}\n",
        "top_level.txt": f"{plugin.module}\n",
    }
    # The directory that holds the `gilless` package, where its files would lie.
    root = os.path.dirname(os.path.dirname(os.path.abspath(gilless.__file__)))

    class Distribution(metadata.Distribution):
        def read_text(self, filename):
            return files.get(filename)

        def locate_file(self, path):
            return pathlib.Path(root, path)

    Distribution.__qualname__ = Distribution.__name__ = "GillessPluginDistribution"
    return Distribution
