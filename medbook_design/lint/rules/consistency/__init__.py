"""MB5xx: schema, API, policies and operation SQL checked against each other."""
