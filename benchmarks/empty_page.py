"""The floor of the scale benchmark: a Streamlit page that shows one line and reads nothing."""

import streamlit as st

st.write("empty page")
