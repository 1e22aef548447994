"""Lifecycles on the page: the state diagram, the transition table and the external codes."""

from __future__ import annotations

from helpers import LIBRARY_SPEC, SPEC
from helpers.sites import QUIET
from medbook_design.build import TEMPLATES, generate
from medbook_design.render.lifecycle import lifecycle_views
from medbook_design.spec.loader import load_spec


def test_shipped_lifecycles_draw_every_transition_once_per_operation():
    views = {v.type_name: v for v in lifecycle_views(load_spec(SPEC).spec)}
    assert list(views) == ["slot_status", "appointment_status"]
    appointment = views["appointment_status"]
    assert appointment.diagram == (
        "stateDiagram-v2\n"
        "    [*] --> booked\n"
        "    booked --> cancelled : cancel_appointment (patient, practitioner)\n"
        "    booked --> completed : record_attendance (practitioner)\n"
        "    booked --> no_show : record_attendance (practitioner)\n"
        "    cancelled --> [*]\n"
        "    completed --> [*]\n"
        "    no_show --> [*]\n"
    )
    assert appointment.columns == ("appointments.status",)
    assert [(m.from_, m.to, m.by) for m in appointment.moves][:2] == [
        ("booked", "cancelled", ("patient",)),
        ("booked", "cancelled", ("practitioner",)),
    ]
    assert appointment.moves[2].endpoints == ("record_attendance",)
    assert dict(appointment.mapping)["no_show"] == ("noshow",)
    assert views["slot_status"].standards == ("FHIR Slot.status",)


def test_a_spec_without_lifecycles_renders_none():
    assert lifecycle_views(load_spec(LIBRARY_SPEC).spec) == []


def test_schema_page_shows_diagram_transitions_and_mapping(tmp_path):
    pages = {a.path: a.content for a in generate(load_spec(SPEC), tmp_path, TEMPLATES, QUIET)}
    page = pages["2-database-schema.md"]
    assert "```mermaid\nstateDiagram-v2\n    [*] --> available\n" in page
    assert "| `booked` → `completed` | practitioner | [`record_attendance`]" in page
    assert "| `withdrawn` | Deleted; kept for history. | `busy-unavailable` |" in page
    assert page.count("### Lifecycle of slot\\_status") == 1  # shown once, under the enumerated types
    assert "#59;" not in page.split("### Lifecycle of slot")[1].split("## DDL")[0]
