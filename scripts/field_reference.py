"""Regenerate the field reference in docs/authoring.md from the models' JSON Schemas."""

from pathlib import Path

from crisis_sim.authoring.reference import update_reference

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"

if __name__ == "__main__":
    print(f"updated {DOCUMENT}" if update_reference(DOCUMENT) else f"{DOCUMENT} is current")
