"""Loading the YAML spec: positions, the model, cross-references."""
