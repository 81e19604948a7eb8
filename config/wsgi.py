import gc
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

# What is loaded by now (Django, the apps, their modules) lives as long as the process. Frozen,
# it is left out of the garbage collector's full passes, which a request making many objects
# (a national breakdown's thousands of rows) would otherwise run over all of it: the national
# indicator page spent about a third of its CPU time in them (287 ms to 183 ms of CPU).
gc.freeze()
