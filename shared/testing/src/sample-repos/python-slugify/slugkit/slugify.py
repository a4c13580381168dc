import re
import unicodedata


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by single dashes."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    lowered = normalized.lower().strip()
    # Bug: every non-alphanumeric character becomes its own dash, so "a  b" gives "a--b".
    slug = re.sub(r"[^a-z0-9]", "-", lowered)
    return slug.strip("-")


def truncate(slug: str, max_length: int) -> str:
    """Cuts a slug to max_length without leaving a trailing dash."""
    if len(slug) <= max_length:
        return slug
    return slug[:max_length].rstrip("-")
