"""Agency settings: the numbers and names each agency fills in. No Textual.

`loader` reads agency.yaml (`load_settings`), `models` is its shape, and `resolve` puts its
numbers into the protocol's contacts. Imported from those modules, so the console can resolve
contacts without loading the YAML reader when it has no settings file."""
