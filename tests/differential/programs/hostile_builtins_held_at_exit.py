# An object a program keeps in builtins is finalized once builtins are restored, with
# `print` there (CPython drops the program's builtins after restoring the original).
import builtins


class Kept:
    def __del__(self):
        print("finalized with print there")


builtins.kept = Kept()
print("end")
