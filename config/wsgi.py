import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# gunicorn and runserver both load this module: the portal is not served in production
# with a development or missing secret.
if not settings.DEBUG and settings.SERVING_REFUSAL:
    raise ImproperlyConfigured(settings.SERVING_REFUSAL)
