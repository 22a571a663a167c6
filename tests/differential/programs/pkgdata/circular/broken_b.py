from circular.broken_a import NAME_A

NAME_B = "b"
