class Shape:
    def describe(self):
        return f"{type(self).__name__} from {__name__}"
