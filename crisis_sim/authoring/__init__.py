"""Tools for trainers who write scenarios: lint, scenario tests, bots, graphs, starters, schema and packs.

Everything here is UI-free; ``crisis_sim.cli`` imports these modules lazily inside
the command that needs them, so ``crisis-sim play`` starts as fast as before.
"""
