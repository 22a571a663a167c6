print("runnable package init", __name__)
