"""Training: scenario files with a scripted caller, checked against the protocol. No Textual."""
