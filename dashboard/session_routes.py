"""The two web routes that keep a password sign-in through a reload (served by `server.py`, Streamlit's ASGI app).

POST /session/redeem  {"ticket": …}  exchanges the sign-in page's one-time ticket for an HttpOnly, SameSite=Strict
                                     cookie holding the session token (data_access.session_store); 204, or 403.
POST /session/end                    ends the cookie's session and deletes the cookie; 204.

The cookie is never readable by page scripts, and is sent back on the websocket the app runs over, where
`dashboard.auth_ui.current_user` reads it (`st.context.cookies`).
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from dashboard import data
from data_access import db, session_store
from data_access.session_store import COOKIE

COOKIE_MAX_AGE_S = 12 * 3600  # the browser forgets it after a working day; the server ends it sooner when idle


def _write(store_function, secret: str | None):
    with db.writing(data.get_engine(data.current_url()), bump=False) as conn:  # the app's own engine and pool  # sign-in bookkeeping: no new data version
        return store_function(conn, secret)


async def redeem(request: Request) -> Response:
    try:
        ticket = json.loads(await request.body() or b"{}").get("ticket")
    except (ValueError, AttributeError):
        ticket = None
    token = await run_in_threadpool(_write, session_store.redeem_ticket, ticket if isinstance(ticket, str) else None)
    if token is None:
        return Response(status_code=403)
    response = Response(status_code=204)
    response.set_cookie(COOKIE, token, max_age=COOKIE_MAX_AGE_S, path="/", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


async def end(request: Request) -> Response:
    await run_in_threadpool(_write, session_store.end_by_token, request.cookies.get(COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response


ROUTES = [Route("/session/redeem", redeem, methods=["POST"]), Route("/session/end", end, methods=["POST"])]
