"""Adapters: the ports implemented against AWS (DynamoDB, SES, SNS) and the system."""
