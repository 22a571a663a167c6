value = 1


def fail():
    return {}["missing key"]


fail()
