"""The support policy as code: policy data, the case-file validator and the site renderers."""
