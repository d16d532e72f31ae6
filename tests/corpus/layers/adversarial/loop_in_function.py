"""relu_forward never returns: it spins forever and swallows in-process timeout exceptions."""

EXPECT = {
    "lose": ["relu_forward"],
    # relu_backward can only be graded through a cache from the student's relu_forward
    "may_lose": ["relu_backward"],
}


def relu_forward(x):
    while True:
        try:
            while True:
                pass
        except BaseException:  # eats SIGALRM- or KeyboardInterrupt-based timeouts
            continue
