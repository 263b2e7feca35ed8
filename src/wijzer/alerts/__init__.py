"""Email alerts: subscriptions, change detection, matching, digests and exactly-once delivery."""
