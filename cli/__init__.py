"""The command line, `python -m cli COMMAND`: server tasks that use both layers (migrations, demo seed, imports of
the risk rules and the briefing from dashboard/). It lives outside data_access/, which imports nothing from
dashboard/ (tests/test_house.py)."""
