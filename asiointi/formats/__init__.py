"""Dates, times and numbers as each language writes them in Finland.

Django looks here first (``FORMAT_MODULE_PATH = ["asiointi.formats"]``) and falls back to its own
locale formats for anything a module leaves out. Finnish and Swedish in Finland, and English written
for people in Finland, share the numeric date 24.12.2026 (no zero padding) and the time 10.00 with a
full stop; they differ in the word before the time ("klo", "kl.", "at") and in number separators.
"""
