from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("", views.statement_list, name="statements"),
    path("<int:statement_id>/", views.statement_detail, name="statement"),
    path("<int:statement_id>/print/", views.statement_print, name="statement_print"),
    path("<int:statement_id>/approve/", views.statement_approve, name="statement_approve"),
    path("<int:statement_id>/send/", views.statement_send, name="statement_send"),
    path("<int:statement_id>/statement.csv", views.statement_csv_download, name="statement_csv"),
    path("<int:statement_id>/statement.xlsx", views.statement_xlsx_download, name="statement_xlsx"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:agreement_id>/", views.agreement_edit, name="agreement_edit"),
]
