"""medbook-design: a design document as code, checked against real databases."""

__version__ = "0.2.0"
