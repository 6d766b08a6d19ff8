"""The commented agency.yaml that `trafficking-triage agency init` writes."""

TEMPLATE = """\
# Agency settings for trafficking-triage.
#
# The protocol (protocol.yaml) says WHAT to do on a call about possible labor trafficking;
# this file says WHO your agency calls. Fill in what you have and delete what you do not use.
# Anything left out is shown to dispatchers as NOT CONFIGURED: the program never makes up a
# number. Check the file after every edit with:
#
#     trafficking-triage validate --agency THIS-FILE
#
# Phone numbers are checked against your country's numbering plan: a full number, a local
# number dialled without its area code, a short code (211, 311, 711), a number abroad written
# with + and its country code, and capital letters for a vanity number (1-800-222-TIPS).

agency:
  name: Name of your agency
  # Your country, as two capital letters (ISO 3166): US, CA, MX. The default is US.
  country: US
  # Your agency's domain name: its id in the incident data a CAD imports (NENA's EIDO,
  # `records export --format eido`). Remove the # and put in your own.
  # domain: psap.your-county.gov

# Every section below starts commented out, so nothing is shown as configured until you
# fill it in: remove the # in front of the lines and put in your own names and numbers.

# The person your agency names for human trafficking cases (step 2: notified whenever an
# officer is sent on one of these calls).
# point_of_contact:
#   name: Det. Firstname Lastname, Special Victims Unit
#   phone: "555-0100"
#   radio: "SVU 12"

# The anonymous tip line calls are passed to (step 3), such as your area's Crime Stoppers.
# Many use 1-800-222-8477 (222-TIPS); put in the number of yours.
# tip_line:
#   name: Your area's Crime Stoppers
#   phone: "1-800-222-8477"
#   web: your-crimestoppers.example

# The supervisor to notify (step 5).
# supervisor:
#   name: Shift supervisor, communications floor
#   radio: "Console 1"

# How medical help (EMS) is requested when someone is hurt: it is added to any route.
# medical:
#   name: Fire/EMS dispatch
#   radio: "Fire dispatch"

# Who is told when anyone under 18 is involved (added to the officer route), such as child
# protective services' after-hours line or your youth services unit.
# child_protection:
#   name: Child protective services, after-hours intake
#   phone: "555-0150"

# Whether dispatchers may read the protocol's short first-aid words to a caller with someone
# hurt. Leave it false where only your medical dispatch protocol may give instructions.
# first_aid: true

# The wording of the radio alerts for step 6. These are filled in from the call when the alert
# is shown: {location} {incident} {callback} {weapons} {controller_nearby} {people} {minors}
# {language} {interpreter} {suspects} {vehicles} (a brace itself is written {{ or }}). When the
# caller cannot talk freely, "caller cannot talk: do not call back" is added.
# radio_alerts:
#   - "Units be advised: possible labor trafficking at {location}, incident {incident}."

# Local services shown on the reference and outcome screens.
# resources:
#   - name: Regional human trafficking task force
#     phone: "555-0199"
#     note: Weekdays 8-5; after hours through the point of contact.
#   - name: State labor agency, wage and hour division
#     web: labor.example.gov
"""
