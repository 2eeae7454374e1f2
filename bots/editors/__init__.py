"""The editors' view over the stores: gap report, feedback and documents to review, for the CLI and /admin."""
