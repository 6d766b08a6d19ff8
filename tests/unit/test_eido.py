"""A call as NENA's Emergency Incident Data Object: every shipped case and scenario exports an
EIDO the model accepts and that round-trips, every reference names a component there, a caller
who would not give a name has no callback in it, and a caller's words are data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.unit.test_exports import fixed_call, fixed_row
from trafficking_triage.cli import main
from trafficking_triage.engine import Call, replay_answers
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.api import CallRow
from trafficking_triage.reports.eido import (
    ANONYMOUS_WITHHELD,
    EIDO,
    UNSET_DOMAIN,
    anonymous,
    as_eido,
    dumped,
)
from trafficking_triage.reports.export import narrative
from trafficking_triage.settings.models import AgencySettings
from trafficking_triage.training.scenario import load_scenarios, scripted_answers

SETTINGS = AgencySettings.model_validate(
    {"agency": {"name": "Capital Area 911", "domain": "psap.capital-area.example.gov"}}
)


def row_of(call: Call, call_id: str = "261207-ABCD") -> CallRow:
    started = call.state.started
    assert started is not None
    closed = call.state.closed
    return CallRow(
        id=call_id,
        started_at=started.at,
        ended_at=closed.at if closed else None,
        status=closed.how if closed else "open",
        route=call.state.route.outcome if call.state.route else None,
        console="north",
        dispatcher="D-117",
        context=started.context,
        protocol_id=started.protocol_id,
        protocol_version=started.protocol_version,
        protocol_sha256=started.protocol_sha256,
        training=False,
    )


def eido_of(call: Call, settings: AgencySettings | None = SETTINGS) -> dict[str, Any]:
    """As `records export --format eido` makes it."""
    row = row_of(call)
    withheld = ANONYMOUS_WITHHELD if anonymous(call) else frozenset()
    return as_eido(row, call, settings, narrative=narrative(row, call, withheld=withheld))


def ids_and_refs(data: Any) -> tuple[set[str], list[str]]:
    ids: set[str] = set()
    refs: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "$id":
                ids.add(value)
            elif key == "$ref":
                refs.append(value)
            else:
                more_ids, more_refs = ids_and_refs(value)
                ids |= more_ids
                refs += more_refs
    elif isinstance(data, list):
        for value in data:
            more_ids, more_refs = ids_and_refs(value)
            ids |= more_ids
            refs += more_refs
    return ids, refs


def every_call(shipped: LoadedProtocol) -> list[tuple[str, Call]]:
    found = []
    for case in shipped.protocol.cases:
        call = replay_answers(
            shipped.protocol,
            case.answers,
            case.escalate_at,
            yes_no=case.text_call,
            hang_up_at=case.hang_up_at,
        )
        found.append((f"case {case.name}", call))
    for scenario in load_scenarios(shipped.scenarios, shipped):
        answers = scripted_answers(scenario, shipped.protocol)
        call = replay_answers(shipped.protocol, answers, yes_no=scenario.yes_no_from_start)
        found.append((f"scenario {scenario.id}", call))
    return found


def test_every_case_and_scenario_exports_an_eido_that_round_trips(
    shipped: LoadedProtocol,
) -> None:
    calls = every_call(shipped)
    assert len(calls) > 20
    for name, call in calls:
        data = eido_of(call)
        assert dumped(EIDO.model_validate(data)) == data, name  # it round-trips
        ids, refs = ids_and_refs(data)
        assert set(refs) <= ids, (name, set(refs) - ids)  # every reference is in the EIDO
        assert data["eidoVersion"] == "1.0"
        assert data["$id"].startswith("urn:emergency:uid:incidentid:")
        assert data["$id"].endswith(":psap.capital-area.example.gov")
        assert data["incidentComponent"]["incidentTypeCommonRegistryText"] == "NCRNONE"


def test_the_route_facts_and_notes_go_in(shipped: LoadedProtocol) -> None:
    call = fixed_call(shipped)
    data = as_eido(fixed_row(call), call, SETTINGS, narrative="the narrative")
    incident = data["incidentComponent"]
    assert incident["internalIncidentId"] == "26-031401"
    (route,) = incident["dispositionComponent"]
    assert route["dispositionDescriptionText"] == shipped.protocol.outcomes["tip_line"].title
    (place,) = data["locationComponent"]
    assert place["locationDescriptionText"].startswith("Roadside motel on Route 9")
    caller = data["personComponent"][0]
    assert caller["personIncidentRoleRegistryText"] == ["Caller", "ReportingParty"]
    assert "ncPersonComponent" not in caller  # never a name
    assert data["callComponent"][0]["callStateRegistryText"] == "callEnd"
    assert data["agentComponent"][0]["$id"] == "D-117@psap.capital-area.example.gov"
    notes = [note["notesActionComments"] for note in data["notesComponent"]]
    assert notes[0] == "the narrative"


def test_a_caller_who_stays_anonymous_gives_no_callback(shipped: LoadedProtocol) -> None:
    call = fixed_call(shipped)  # the callback was given and is safe; then anonymity asked
    data = as_eido(fixed_row(call), call, SETTINGS, narrative="n")
    said = json.dumps(data)
    if call.facts().get("anonymous") == "yes":
        assert "callbackComponent" not in data and "555-0142" not in said
        assert any("no callback and no name" in n["notesActionComments"]
                   for n in data["notesComponent"])  # fmt: skip
    else:
        assert data["callbackComponent"][0]["callBackInformationUri"][0].startswith("tel:")
    from tests.unit.test_shipped_protocol import call as answers_for

    answers = {**answers_for("witness_specific", free_to_leave="no"), "stay_anonymous": "yes"}
    answers["callback_safe"] = "yes"
    answers["callback"] = "555-0199"
    witness = replay_answers(shipped.protocol, answers)
    assert witness.facts().get("anonymous") == "yes"
    data = eido_of(witness)
    assert "callbackComponent" not in data and "555-0199" not in json.dumps(data)
    assert any("asked not to give a name" in n["notesActionComments"]
               for n in data["notesComponent"])  # fmt: skip


def test_a_callers_words_are_data_in_every_field(shipped: LoadedProtocol) -> None:
    from tests.unit.test_several import at

    call = at(shipped)
    call.add_entry('<img src=x onerror=alert(1)> "Boss"')
    call.answer("Driver & co")
    call.note("</notes><script>alert(1)</script>")
    data = eido_of(call)
    suspects = [
        p for p in data["personComponent"] if p["personIncidentRoleRegistryText"] == ["Suspect"]
    ]
    assert suspects[0]["ncPersonComponent"]["description"][0]["value"].startswith(
        "<img"
    )  # JSON data
    notes = [n["notesActionComments"] for n in data["notesComponent"]]
    assert "&lt;/notes&gt;&lt;script&gt;" in notes[-1] and "<script>" not in "".join(notes)


def test_the_agency_without_a_domain_is_named_so(shipped: LoadedProtocol) -> None:
    data = eido_of(fixed_call(shipped), settings=None)
    assert data["agencyComponent"][0]["$id"] == UNSET_DOMAIN


def test_records_export_eido_one_call_and_every_call(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.unit.test_several import at

    store = SqliteStore(tmp_path)
    ids = []
    for call in (at(shipped), at(shipped)):  # taken with the shipped protocol's own bytes
        call.close("interrupted")
        call_id = store.begin(call)
        store.release(call_id)
        ids.append(call_id)
    store.close()
    base = ["--data-dir", str(tmp_path), "records", "export"]
    assert main([*base, ids[0], "--format", "eido"]) == 0
    out, err = capsys.readouterr()
    one = json.loads(out)
    assert EIDO.model_validate(one).incident.status == ["Closed"]
    assert "no domain" in err
    assert main([*base, "--format", "eido"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert isinstance(every, list) and len(every) == 2
    assert main([*base, "--format", "json"]) == 2  # only an EIDO lists every call


def test_a_place_as_said_is_a_civic_address_by_value(shipped: LoadedProtocol) -> None:
    """The standard asks for a location by value: a PIDF-LO civic address that holds the
    caller's words (escaped: XML is markup) as its LOC, and the agency's country."""
    from xml.etree import ElementTree

    from tests.unit.test_several import BEFORE

    call = Call.start(shipped.protocol, shipped.sha256)
    call.answer('Motel <Route 9> & "the river" </ca:LOC>')
    while call.state.prompt is not None and call.state.prompt.question != "suspects":
        call.answer(str(BEFORE[call.state.prompt.question]))
    (place,) = eido_of(call)["locationComponent"]
    civic = "{urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr}"
    found = ElementTree.fromstring(place["locationByValue"]).iter(f"{civic}LOC")
    assert [element.text for element in found] == ['Motel <Route 9> & "the river" </ca:LOC>']
    assert place["locationTypeDescriptionRegistryText"] == "InitialIncident"


def test_an_eido_from_a_centers_store(
    center: str, shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same export from PostgreSQL: the store is read through the same interface."""
    from tests.unit.test_several import at
    from trafficking_triage.records.postgres import PostgresStore

    store = PostgresStore(center)
    call = at(shipped)
    call.close("interrupted")
    call_id = store.begin(call)
    store.release(call_id)
    store.close()
    base = ["records", "export", "--store", center, "--data-dir", str(tmp_path)]
    assert main([*base, call_id, "--format", "eido"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert EIDO.model_validate(one).calls[0].state == "callEnd"
    assert main([*base, "--format", "eido"]) == 0
    assert [e["$id"] for e in json.loads(capsys.readouterr().out)] == [one["$id"]]


def test_each_one_described_is_one_even_with_a_semicolon_in_it(shipped: LoadedProtocol) -> None:
    from tests.unit.test_several import at

    call = at(shipped, "vehicles")
    call.add_entry("White van; plate 7KD-221")
    call.answer("Grey pickup")
    vehicles = eido_of(call)["vehicleComponent"]
    described = [v["ncVehicleComponent"]["description"][0]["value"] for v in vehicles]
    assert described == ["White van; plate 7KD-221", "Grey pickup"]
