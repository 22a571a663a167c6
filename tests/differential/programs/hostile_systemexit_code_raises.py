# A SystemExit whose `code` cannot be read: CPython prints the exception itself and
# exits with status 1.
class Stop(SystemExit):
    @property
    def code(self):
        raise ValueError("no code")


print("stopping")
raise Stop("stopped without a code")
