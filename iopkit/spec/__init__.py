"""The partnership spec: loading with positions, the model, validation and findings."""
