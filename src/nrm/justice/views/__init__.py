"""Screens of criminal proceedings."""
