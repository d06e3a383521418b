"""HTTP handlers, one module per resource, and the middlewares that frame them."""
