"""Order routes (store key): placed orders, status changes, points redemptions."""

from __future__ import annotations

from chalice import Blueprint

orders = Blueprint(__name__)
