from circular import second

VALUE = "first"


def use():
    return second.VALUE
