"""The demo shop (``examples/shop``) on a full Opeka: ``python -m opeka.web.cookies_demo``.

It initialises ``OPEKA_DATA_DIR`` if needed (as ``opeka init`` does) and serves the application
with the demo at ``/demo/`` on ``OPEKA_HOST``:``OPEKA_PORT`` (127.0.0.1:8000 by default).
``opeka serve --demo`` can call :func:`demo_app` the same way.
"""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from opeka.app import Opeka
from opeka.ops.init import initialise
from opeka.settings import Settings
from opeka.web.app import create_app
from opeka.web.cookies_routes import demo_router, include


def demo_app(opeka: Opeka) -> FastAPI:
    """The full application plus the demo shop (and the banner, if not already there)."""
    app = create_app(opeka)
    if "/cookies/config.json" not in {getattr(route, "path", None) for route in app.routes}:
        include(app, opeka)
    app.include_router(demo_router())
    return app


def main() -> None:
    """Initialise if needed and serve the demo."""
    settings = Settings()
    initialise(settings)
    opeka = Opeka(settings)
    try:
        print(f"Demo shop: http://{settings.host}:{settings.port}/demo/")
        uvicorn.run(demo_app(opeka), host=settings.host, port=settings.port, access_log=False)
    finally:
        opeka.close()


if __name__ == "__main__":
    main()
