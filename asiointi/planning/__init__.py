"""Network planning: coverage of the service point network and its optimisation.

The core (distances, evaluation, optimisation) needs no Django: numpy, scipy and HiGHS only.
"""
