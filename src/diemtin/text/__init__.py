"""Text handling for Vietnamese news: normalise, clean boilerplate, split and segment."""

from diemtin.text.clean import clean_text
from diemtin.text.normalize import normalize_text, syllables

__all__ = ["clean_text", "normalize_text", "syllables"]
