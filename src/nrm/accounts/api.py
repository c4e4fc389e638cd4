"""API authentication by personal token, and who the caller is (GET /me)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from nrm.accounts.tokens import viewer_for_token
from nrm.accounts.viewer import Viewer


class BearerToken(HttpBearer):
    """`Authorization: Bearer nrm_…`; the request then acts as the token's membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Viewer | None:
        return viewer_for_token(token.strip())


def viewer_of(request: HttpRequest) -> Viewer:
    """The viewer that authentication attached to the request."""
    return cast(Viewer, request.auth)  # type: ignore[attr-defined]


class RoleOut(Schema):
    value: int
    label: str


class MyOrganisationOut(Schema):
    id: int
    name: str
    country: str


class MayOut(Schema):
    """What the role allows, so that a client shows only what will work."""

    work_cases: bool
    see_identity: bool
    see_national_cases: bool
    register_persons: bool
    read_audit: bool
    manage_directory: bool


class MeOut(Schema):
    username: str
    full_name: str
    organisation: MyOrganisationOut
    role: RoleOut
    may: MayOut


router = Router(tags=["me"])


@router.get("/me", response=MeOut, summary="Who the token acts as")
def me(request: HttpRequest) -> MeOut:
    viewer = viewer_of(request)
    organisation = viewer.membership.organisation
    return MeOut(
        username=viewer.user.username,
        full_name=viewer.user.get_full_name(),
        organisation=MyOrganisationOut(id=organisation.pk, name=organisation.name,
                                     country=organisation.country),
        role=RoleOut(value=viewer.role.value, label=str(viewer.role.label)),
        may=MayOut(
            work_cases=viewer.works_cases, see_identity=viewer.sees_identity,
            see_national_cases=viewer.sees_national_cases, register_persons=viewer.registers,
            read_audit=viewer.reads_audit, manage_directory=viewer.manages_directory,
        ),
    )
