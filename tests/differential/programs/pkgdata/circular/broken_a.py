from circular.broken_b import NAME_B

NAME_A = "a"
