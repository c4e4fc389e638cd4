"""HTCDS 2.0 (IOM's Human Trafficking Case Data Standard): the standard as IOM publishes it, the
column mapping, and the reading and writing of HTCDS spreadsheets."""
