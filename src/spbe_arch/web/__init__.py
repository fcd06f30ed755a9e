"""The web UI: the repository for people who do not write SPARQL.

Server-rendered pages (Jinja2 templates in `templates/`, a little htmx and plain JavaScript,
vendored libraries in `static/vendor/`), in Indonesian with an English switch. Page handlers
(`pages/`) call the same service functions as the REST API and follow the same roles
(`context`: sign-in cookie, CSRF). Mounted on the FastAPI app by `api/routes/web.py`.
"""
