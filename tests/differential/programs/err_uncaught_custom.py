# An uncaught exception from a class with an odd __str__, plus notes and a multi-line message.
class Odd(Exception):
    def __str__(self):
        return "line one\nline two"


def main():
    e = Odd()
    e.add_note("note: extra detail")
    raise e


main()
