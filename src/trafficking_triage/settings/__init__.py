"""Agency settings: the numbers and names each agency fills in. No Textual."""

from ..paths import default_settings_path
from .loader import LoadedSettings, load_settings
from .models import AgencySettings
from .resolve import ResolvedContact, resolve_contacts

__all__ = [
    "AgencySettings",
    "LoadedSettings",
    "ResolvedContact",
    "default_settings_path",
    "load_settings",
    "resolve_contacts",
]
