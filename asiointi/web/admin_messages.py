"""Messages of Django's admin and of django-axes that their own catalogues lack in Finnish or Swedish.

Listed here so that makemessages keeps them in the project's catalogues (locale/), which take
precedence over the packages' own: the administration then shows no English in fi or sv. Django 6.1's
Finnish catalogue lacks its newest admin messages; django-axes ships no Finnish or Swedish at all.
Nothing imports this module; a test over the admin's pages (asiointi/tests/test_admin_language.py)
finds what is still missing."""

from django.utils.translation import gettext_noop

#: Django's admin (django/contrib/admin and the blank choice of django/db/models/fields).
DJANGO_ADMIN = (
    gettext_noop("Run"),
    gettext_noop("Change or view list link"),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related objects, but your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related items will be deleted:"
    ),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("- Select an option -"),
)

#: django-axes: its models, fields, filters and actions.
DJANGO_AXES = (
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
)

#: django-tasks-db's model (its permissions appear in the group form).
DJANGO_TASKS_DB = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
)
