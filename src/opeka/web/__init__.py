"""The web application (FastAPI): REST API, portal, console."""
