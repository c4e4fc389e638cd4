"""The linkage screens: candidate pairs to review, a pair side by side, duplicate searches,
a person's possible duplicates, and checking a spreadsheet."""
