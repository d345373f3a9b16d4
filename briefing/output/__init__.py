"""The brief made readable and delivered: HTML and PDF rendering (templates as package data), email."""
