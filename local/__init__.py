"""The local stack: embedded moto, stream pump, scheduler and mail viewer.

Nothing here ships to Lambda, and nothing shipped imports it.
"""
