"""The GIL mode as a guest world installs it: what `Space` and the built-in modules call.

`Space` makes one `GIL` when the GIL mode is asked for and hands it the
guest's copies of the built-in modules as it creates them (`patch_module`,
`patch_thread_module`); the lock itself is in `gil`, the guest `_thread` of
this mode in `guestthread`, the other modules' blocking calls in `blocking`.
A mode of its own (a tool that watches guest code) plugs into `Space` the
same way.
"""

from gilless.concurrency import blocking, gil, guestthread


class GIL:
    """What the guest world calls to run in the GIL mode (see Space and run.finish)."""

    def patch_thread_module(self, module):
        guestthread.patch(module)

    def patch_module(self, name, module):
        """Make the guest's copy of built-in module `name` release the GIL where it blocks."""
        if name == "builtins":
            gil.add_switch_point_names(module.__dict__)
        blocking.patch(name, module)

    def start(self, space):
        """The main thread takes the GIL before any guest code runs."""
        if not gil.holds_gil():
            gil.take()

    def call_released(self, function, *args):
        """For gilless's own blocking calls (the REPL reading a line)."""
        return gil.call_released(function, *args)

    def release_for_exit(self):
        gil.finalize()
