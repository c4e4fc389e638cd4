"""The directory pages: organisations (list, filters, page, edit, capacity) and agreements."""
