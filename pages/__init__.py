"""The Streamlit pages (run through st.navigation in app.py) and the modules they share."""
