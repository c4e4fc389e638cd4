"""The assistance screens: a case's assistance page, a form page per change, the follow-up
worklist."""
