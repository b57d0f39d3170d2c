"""The editors' workplace (the Django admin), one module per area."""

from . import accounts, article, catalogue  # noqa: F401  (registers the admins)
