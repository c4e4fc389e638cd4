"""Pages of the exchange: partner deployments (system admins) and packages (case workers)."""
