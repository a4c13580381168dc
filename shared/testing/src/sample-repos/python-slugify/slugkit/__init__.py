from .slugify import slugify, truncate

__all__ = ["slugify", "truncate"]
