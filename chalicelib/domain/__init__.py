"""Pure domain: dataclasses and functions, no I/O, no AWS, no clock reads."""
