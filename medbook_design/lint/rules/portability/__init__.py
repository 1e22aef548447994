"""MB2xx: what one target dialect cannot express, or expresses differently."""
