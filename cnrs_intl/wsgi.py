import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cnrs_intl.settings")
application = get_wsgi_application()

# Each server worker builds its labs index before taking requests (laboratories.index).
from laboratories.index import warm  # noqa: E402 (needs the application loaded)

warm()
