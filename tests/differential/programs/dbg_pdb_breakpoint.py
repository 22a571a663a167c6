# stdin: p k\nwhere\nup\nup\nup\ndown\nnext\nnext\nreturn\nnext\nnext\nstep\nstep\ncontinue\n
# breakpoint() stops in its caller, where and up end at the main module, and stepping
# out of the main module ends the session as in CPython.
def inner(k):
    total = k * 2
    breakpoint()
    return total + 1


def outer():
    v = inner(5)
    return v


print(outer())
print("end")
