"""A call as a NENA Emergency Incident Data Object (EIDO, NENA-STA-021.1, JSON; `eidoVersion`
1.0), for a CAD or another center's systems: `records export ID --format eido`.

The models below are the components this program writes, written from NENA's schema (the
OpenAPI document in NENA911/EIDO-JSON, as of STA-021.1b): every field is named as the schema
names it, `extra="forbid"` so a misspelt field cannot pass, and each component carries the
schema's prologue (`$id`, `lastUpdateTimeStamp`, `updatedByAgencyReference`). References are
`{"$ref": <$id>}` of a component elsewhere in the same EIDO.

What goes in, and what never does:
- the incident: NENA's common registry has no code for human trafficking, so the common type
  is `NCRNONE` ("no code found") and the real type is the internal one; the route is the
  disposition's text;
- the call: its start (the answer: the console opens as the call is answered), incoming, and
  the callback only where the caller said it is safe and did not ask to stay anonymous;
- the places as the caller said them (the schema's free text; no address was geocoded), the
  worker's place now apart;
- persons by their part, never a name: the caller by kind, the workers described and a minor
  flagged, each person in charge the caller described; vehicles as described;
- notes: the narrative, then each note typed with F8, in order. A note is an HTML fragment
  in the standard: every word of the call in it is escaped, so a caller's words are data.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from ..engine import Call
    from ..records.api import CallRow
    from ..settings.models import AgencySettings

UNSET_DOMAIN = "agency.invalid"
"""The agency's id where its settings give no `domain` (a name that can never be a real one,
so a CAD cannot take it for another agency's)."""

INCIDENT_TYPE = "NCRNONE"
"""NENA's common incident-type registry (after APCO ANS 2.103.2) has no code for human
trafficking: "no code found", with the real type given as the agency's internal one."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Ref(_Model):
    ref: str = Field(alias="$ref")


class _Component(_Model):
    """The prologue every component carries."""

    id: str = Field(alias="$id")
    last_update: datetime = Field(alias="lastUpdateTimeStamp")
    by_agency: Ref = Field(alias="updatedByAgencyReference")
    by_agent: Ref | None = Field(None, alias="updatedByAgentReference")


class Value(_Model):
    value: str | int | bool


class Disposition(_Component):
    code: str = Field("01", alias="dispositionCommonRegistryCode")
    """APCO 1.111.2's "report taken": the call was taken and recorded."""
    primary: bool = Field(True, alias="dispositionPrimaryIndicator")
    category: str = Field(alias="dispositionCategoryText")
    """The agency's own code: the route's id in the protocol."""
    text: str = Field(alias="dispositionDescriptionText")


class Incident(_Component):
    type_common: str = Field(INCIDENT_TYPE, alias="incidentTypeCommonRegistryText")
    type_code: str = Field("HUMTRAF", alias="incidentTypeInternalCode")
    type_text: str = Field("Possible human trafficking", alias="incidentTypeInternalText")
    status: list[Literal["Active", "Closed"]] = Field(alias="incidentStatusCommonRegistryText")
    internal_id: str | None = Field(None, alias="internalIncidentId")
    dispositions: list[Disposition] = Field(default_factory=list, alias="dispositionComponent")
    agents: list[Ref] = Field(default_factory=list, alias="agentReference")
    locations: list[Ref] = Field(default_factory=list, alias="locationReference")
    persons: list[Ref] = Field(default_factory=list, alias="personReference")
    vehicles: list[Ref] = Field(default_factory=list, alias="vehicleReference")
    notes: list[Ref] = Field(default_factory=list, alias="notesReference")


class CallInfo(_Component):
    primary_type: str = Field("emergency", alias="standardPrimaryCallType")
    direction: Literal["incoming"] = "incoming"
    start: datetime = Field(alias="callStartTimestamp")
    answered: datetime = Field(alias="answerDate")
    state: Literal["callAnswered", "callEnd"] = Field(alias="callStateRegistryText")
    agents: list[Ref] = Field(default_factory=list, alias="agentReference")
    callback: Ref | None = Field(None, alias="callBackReference")
    locations: list[Ref] = Field(default_factory=list, alias="locationReference")
    persons: list[Ref] = Field(default_factory=list, alias="personReference")


class Callback(_Component):
    uris: list[str] = Field(alias="callBackInformationUri")


class Agency(_Component):
    roles: list[str] = Field(["CallReceiving"], alias="agencyRoleDescriptionRegistryText")
    types: list[str] = Field(["psap"], alias="agencyType")
    owning: bool = Field(True, alias="incidentOwningAgencyIndicator")


class Agent(_Component):
    roles: list[str] = Field(["Call Taking"], alias="agentRoleRegistryText")
    agency: Ref = Field(alias="agencyReference")
    position: str | None = Field(None, alias="agentWorkstationPositionIdentification")


class Location(_Component):
    kind: Literal["InitialIncident", "CurrentIncident"] = Field(
        alias="locationTypeDescriptionRegistryText"
    )
    by_value: str = Field(alias="locationByValue")
    """A PIDF-LO civic address (the standard asks for a location by value or by reference):
    the agency's country and the caller's words as its `LOC`, as nothing was geocoded."""
    said: str = Field(alias="locationDescriptionText")


class PersonDetails(_Model):
    """The NIEM person: each field a list of values, as the schema wraps them."""

    description: list[Value] | None = None
    adult: list[dict[str, list[Value]]] | None = Field(None, alias="jAugmentation")


class Person(_Component):
    roles: list[str] = Field(alias="personIncidentRoleRegistryText")
    calls: list[str] = Field(default_factory=list, alias="callIdentifier")
    callback: Ref | None = Field(None, alias="callBackReference")
    details: PersonDetails | None = Field(None, alias="ncPersonComponent")


class VehicleDetails(_Model):
    description: list[Value]


class Vehicle(_Component):
    relationships: list[str] = Field(["SuspectVehicle"], alias="vehicleRelationshipType")
    at: datetime = Field(alias="vehicleRelationshipTimeStamp")
    details: VehicleDetails = Field(alias="ncVehicleComponent")


class Note(_Component):
    text: str = Field(alias="notesActionComments")
    agent: Ref | None = Field(None, alias="agentReference")


class Context(_Model):
    vocab: Literal["./JSON-LD_Contexts/EmergencyIncidentDataObjectType.jsonld"] = Field(
        "./JSON-LD_Contexts/EmergencyIncidentDataObjectType.jsonld", alias="@vocab"
    )


class EIDO(_Component):
    """The EmergencyIncidentDataObjectType, as far as this program fills it in."""

    version: Literal["1.0"] = Field("1.0", alias="eidoVersion")
    issuer: str = Field(alias="issuingElementIdentification")
    incident: Incident = Field(alias="incidentComponent")
    calls: list[CallInfo] = Field(alias="callComponent")
    callbacks: list[Callback] = Field(default_factory=list, alias="callbackComponent")
    agencies: list[Agency] = Field(alias="agencyComponent", min_length=1)
    agents: list[Agent] = Field(default_factory=list, alias="agentComponent")
    locations: list[Location] = Field(default_factory=list, alias="locationComponent")
    persons: list[Person] = Field(default_factory=list, alias="personComponent")
    vehicles: list[Vehicle] = Field(default_factory=list, alias="vehicleComponent")
    notes: list[Note] = Field(default_factory=list, alias="notesComponent")
    context: Context = Field(default_factory=Context, alias="@context")


ANONYMOUS_WITHHELD = frozenset({"callback", "callback_safe"})
"""What a caller who would not give a name keeps out of the EIDO, the narrative note too."""


def anonymous(call: Call) -> bool:
    """The caller asked not to give a name."""
    return call.facts().get("anonymous") == "yes"


def as_eido(
    row: CallRow, call: Call, settings: AgencySettings | None, *, narrative: str
) -> dict[str, Any]:
    """The call's EIDO as JSON data (every field by the schema's name). `narrative`: the
    call's narrative, written without ANONYMOUS_WITHHELD for an anonymous caller."""
    return dumped(build(row, call, settings, narrative=narrative))


def dumped(eido: EIDO) -> dict[str, Any]:
    """The EIDO as JSON data, leaving out what is empty (no field of the standard needs it)."""

    def pruned(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: pruned(v) for k, v in value.items() if v not in (None, [])}
        if isinstance(value, list):
            return [pruned(v) for v in value]
        return value

    found: dict[str, Any] = pruned(eido.model_dump(mode="json", by_alias=True))
    return found


def build(row: CallRow, call: Call, settings: AgencySettings | None, *, narrative: str) -> EIDO:
    from ..engine.events import NoteAdded

    domain = (settings.agency.domain if settings is not None else None) or UNSET_DOMAIN
    unique = row.id.replace("-", "").lower()
    agency = Ref(ref=domain)
    agent = Ref(ref=f"{row.dispatcher}@{domain}") if row.dispatcher else None
    now = call.events[-1].at if call.events else row.started_at

    def component(name: str) -> dict[str, Any]:
        return {
            "$id": f"urn:emergency:uid:eidodatacomponent:{unique}{name}:{domain}",
            "lastUpdateTimeStamp": now,
            "updatedByAgencyReference": agency,
            "updatedByAgentReference": agent,
        }

    def ref(found: _Component) -> Ref:
        return Ref(ref=found.id)

    facts = call.facts()
    anonymous = facts.get("anonymous") == "yes"
    closed = row.status != "open"
    kind = call.caller_kind()
    worker = kind in {"worker", "escaped", "survivor"}
    call_id = f"urn:emergency:uid:callid:{unique}:{domain}"

    callbacks: list[Callback] = []
    number = call.details().get("callback") or facts.get("callback")
    if number and facts.get("callback_safe") == "yes" and not anonymous:
        callbacks.append(Callback(**component("cb"), uris=[f"tel:{number.replace(' ', '')}"]))

    country = settings.agency.country if settings is not None else "US"
    locations = [
        Location(
            **component(name),
            kind=kind,
            said=facts[fact],
            by_value=_pidf_lo(f"{unique}{name}", country, facts[fact]),
        )
        for name, kind, fact in (
            ("loc", "InitialIncident", "location"),
            ("now", "CurrentIncident", "victim_location"),
        )
        if facts.get(fact)
    ]

    persons = [
        Person(
            **component("caller"),
            roles=["Caller", "Victim"] if worker else ["Caller", "ReportingParty"],
            calls=[call_id],
            callback=ref(callbacks[0]) if callbacks else None,
        )
    ]
    if not worker or facts.get("people"):
        said = f"the worker{'s' if facts.get('people') else ''}"
        if facts.get("people"):
            said += f": {facts['people']} in the same situation, as the caller said"
        minor = facts.get("minors") == "yes"
        persons.append(
            Person(
                **component("workers"),
                roles=["Victim"],
                details=PersonDetails(
                    description=[Value(value=said)],
                    adult=[{"isPersonAdult": [Value(value=False)]}] if minor else None,
                ),
            )
        )
    for n, described in enumerate(_described(call, "suspects"), 1):
        persons.append(
            Person(
                **component(f"suspect{n}"),
                roles=["Suspect"],
                details=PersonDetails(description=[Value(value=described)]),
            )
        )
    vehicles = [
        Vehicle(**component(f"vehicle{n}"), at=now,
                details=VehicleDetails(description=[Value(value=described)]))
        for n, described in enumerate(_described(call, "vehicles"), 1)
    ]  # fmt: skip

    texts = [narrative]
    if anonymous:
        texts.append("The caller asked not to give a name: no callback and no name are included.")
    texts += [event.text for event in call.events if isinstance(event, NoteAdded)]
    notes = [
        Note(**component(f"note{n}"), text=_html(text), agent=agent)
        for n, text in enumerate(texts, 1)
    ]

    route = call.state.route or call.state.settled
    dispositions = []
    if route is not None:  # the route as the agency's own code, its title in words
        title = call.protocol.outcomes[route.outcome].title
        dispositions.append(Disposition(**component("route"), category=route.outcome, text=title))
    incident = Incident(
        **component("incident"),
        status=["Closed" if closed else "Active"],
        internal_id=call.details().get("incident"),
        dispositions=dispositions,
        agents=[agent] if agent else [],
        locations=[ref(found) for found in locations],
        persons=[ref(found) for found in persons],
        vehicles=[ref(found) for found in vehicles],
        notes=[ref(found) for found in notes],
    )
    started = row.started_at
    the_call = CallInfo(
        **{**component("call"), "$id": call_id},
        start=started,
        answered=started,
        state="callEnd" if closed else "callAnswered",
        agents=[agent] if agent else [],
        callback=ref(callbacks[0]) if callbacks else None,
        locations=[ref(found) for found in locations],
        persons=[ref(persons[0])],
    )
    agents = [Agent(**{**component("agent"), "$id": agent.ref}, agency=agency,
                    position=row.console)] if agent else []  # fmt: skip
    return EIDO(
        **{**component(""), "$id": f"urn:emergency:uid:incidentid:{unique}:{domain}"},
        issuer=f"trafficking-triage.{domain}",
        incident=incident,
        calls=[the_call],
        callbacks=callbacks,
        agencies=[
            Agency(**{**component("agency"), "$id": domain, "updatedByAgentReference": None})
        ],
        agents=agents,
        locations=locations,
        persons=persons,
        vehicles=vehicles,
        notes=notes,
    )


def _described(call: Call, fact: str) -> list[str]:
    """Each one the caller described for `fact` (a person in charge, a vehicle): the entries
    given one at a time (ctrl+n), then the answer given with Enter; never split on what the
    caller said ("a white van; plate 7KD" is one vehicle). A yes/no answer describes none."""
    found: list[str] = []
    for qid, question in call.protocol.questions.items():
        if question.fact != fact:
            continue
        found += call.state.entries.get(qid, [])
        found += [
            given.value
            for given in call.state.answers
            if given.question == qid
            and given.value
            and given.unanswered is None
            and not given.yes_no_form
        ]
    return found


def _pidf_lo(entity: str, country: str, said: str) -> str:
    """A PIDF-LO document (RFC 4119, civic address per RFC 5139) holding a place as said."""
    from xml.sax.saxutils import escape, quoteattr

    return (
        '<presence xmlns="urn:ietf:params:xml:ns:pidf"'
        ' xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10"'
        ' xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"'
        f" entity={quoteattr(f'pres:{entity}@trafficking-triage')}>"
        '<tuple id="location"><status><gp:geopriv><gp:location-info><ca:civicAddress>'
        f"<ca:country>{escape(country)}</ca:country><ca:LOC>{escape(said)}</ca:LOC>"
        "</ca:civicAddress></gp:location-info><gp:usage-rules/></gp:geopriv></status>"
        "</tuple></presence>"
    )


def _html(text: str) -> str:
    """A note for the standard's HTML fragment: the words escaped, the lines kept."""
    return "<br>".join(html.escape(line) for line in text.splitlines())
