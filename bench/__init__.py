"""The benchmark (PERFORMANCE.md): measuring scripts and the bench-only server settings."""
