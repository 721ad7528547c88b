"""The planning app has no model admin: planners keep their scenarios on the planner's pages.

django-tasks-db registers an admin of its task rows; it is taken out of the administration, because its
pages are not part of the access matrix and the accessibility sweep, and a task's arguments and errors
are for operators, who read them from the worker's log and the database."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
