"""Shipment routes: parcels, carrier webhooks, public tracking, surveys, returns."""

from __future__ import annotations

from chalice import Blueprint

shipments = Blueprint(__name__)
