"""Data layer: models, migrations, queries, demo data and the command line. Never imports Streamlit."""
