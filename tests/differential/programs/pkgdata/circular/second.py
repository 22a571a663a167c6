from circular import first

VALUE = "second"


def use():
    return first.VALUE
