"""Webhooks: endpoint targets, Standard Webhooks signing, the retry schedule, the dispatcher."""
