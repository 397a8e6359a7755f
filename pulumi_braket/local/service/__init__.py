"""The Braket service itself: its requests and answers, models, errors, spending and prices."""
