# modes: default, gil
# The hooks CPython calls from C (sys.excepthook for an uncaught exception, atexit's
# functions) run at the bottom of the stack, as there.
import atexit, sys, traceback
def at_exit():
    print("atexit f_back:", sys._getframe().f_back)
    traceback.print_stack(file=sys.stdout)
atexit.register(at_exit)
def hook(t, v, tb):
    print("excepthook f_back:", sys._getframe().f_back, t.__name__)
    traceback.print_stack(file=sys.stdout)
sys.excepthook = hook
raise ValueError("x")
