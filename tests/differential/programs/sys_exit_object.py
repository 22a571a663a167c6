import sys
sys.stdout.write("partial")
sys.exit([1, 2])
