"""Rapport: a serverless customer-relationship backend for online stores."""
