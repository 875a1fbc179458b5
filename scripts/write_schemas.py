"""Regenerate the JSON Schemas from the models: schemas/ in the checkout and crisis_sim/schemas/ in the package."""

from crisis_sim.authoring.schema import CHECKOUT_SCHEMA_DIR, PACKAGE_SCHEMA_DIR, write_schemas

if __name__ == "__main__":
    for folder in (CHECKOUT_SCHEMA_DIR, PACKAGE_SCHEMA_DIR):
        for path in write_schemas(folder):
            print(f"wrote {path}")
