"""The registry's screens: my cases, register, the case page and its actions, search, audit."""
