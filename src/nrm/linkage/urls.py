from __future__ import annotations

from django.urls import path

from nrm.linkage.views import review, runs, spreadsheets

app_name = "linkage"
urlpatterns = [
    path("", review.pairs, name="pairs"),
    path("pairs/<int:pair_id>/", review.pair, name="pair"),
    path("pairs/<int:pair_id>/decide/", review.pair_decide, name="pair_decide"),
    path("pairs/<int:pair_id>/undo/", review.pair_undo, name="pair_undo"),
    path("persons/<str:code>/", review.person, name="person"),
    path("runs/", runs.runs, name="runs"),
    path("runs/start/", runs.run_start, name="run_start"),
    path("runs/<int:run_id>/", runs.run, name="run"),
    path("spreadsheets/", spreadsheets.spreadsheet_upload, name="spreadsheet_upload"),
    path("spreadsheets/<int:upload_id>/columns/", spreadsheets.spreadsheet_map,
         name="spreadsheet_map"),
    path("spreadsheets/checks/<int:job_id>/", spreadsheets.spreadsheet_result,
         name="spreadsheet_result"),
    path("spreadsheets/checks/<int:job_id>/<str:what>.csv", spreadsheets.spreadsheet_download,
         name="spreadsheet_download"),
]
