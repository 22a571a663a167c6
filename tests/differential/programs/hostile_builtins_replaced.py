# Builtins replaced with None: gilless's own exit must not use the guest's.
import builtins

builtins.str = None
builtins.repr = None
builtins.len = None
builtins.isinstance = None
print("replaced")
