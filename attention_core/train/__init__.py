"""Training the bundled Korean + English language model in NumPy (see attention_core/train/NOTES.md)."""
