"""Sign-in, sign-out and idle expiry in the Streamlit session. Accounts themselves live in data_access.auth."""

from __future__ import annotations

import datetime as dt
import json

import streamlit as st

from dashboard import data, i18n
from data_access import auth, db, display_store, session_store, settings

SESSION_USER = "auth_user"
SESSION_SEEN = "auth_last_seen"
SESSION_NOTICE = "auth_notice"
SESSION_DISPLAY = "_display"
SESSION_WEB = "_web_session"  # the id of the cookie session (data_access.session_store) this sign-in keeps
SESSION_TICKET = "_web_ticket"  # a ticket to hand the browser on the next run
SESSION_TOUCHED = "_web_touched"


def idle_timeout() -> dt.timedelta:
    """Idle time after which a session must sign in again (IDLE_TIMEOUT_MINUTES, default 240: a long meeting)."""
    return dt.timedelta(minutes=float(settings.setting("IDLE_TIMEOUT_MINUTES", "240")))


def oidc_enabled() -> bool:
    return settings.setting("AUTH_MODE", "password") == "oidc"


def current_user(url: str) -> auth.User | None:
    """The signed-in user, or None. An idle session past the timeout is signed out here. A display link
    (?token=…) is its own user, re-checked on every run and never more than the big screen of its park."""
    if st.query_params.get("token"):
        return display_user(url)
    user = st.session_state.get(SESSION_USER)
    now = dt.datetime.now()
    if user is None and oidc_enabled() and getattr(st.user, "is_logged_in", False):
        with db.writing(data.get_engine(url), bump=False) as conn:  # sign-in bookkeeping only
            user = auth.user_from_identity(conn, str(st.user.get("email", "")))
        if user is None:
            st.session_state[SESSION_NOTICE] = "oidc_unknown"
            return None
        st.session_state[SESSION_USER] = user
    if user is None and not oidc_enabled():
        user = _from_cookie(url)
    if user is None:
        return None
    last = st.session_state.get(SESSION_SEEN)
    if last is not None and now - last > idle_timeout():
        sign_out(notice="expired")
        return None
    fresh = _still_valid(url, user)
    if fresh is None:
        return None
    st.session_state[SESSION_USER] = fresh  # a role changed by an admin applies on the next run
    st.session_state[SESSION_SEEN] = now
    _keep_cookie_session_alive(url, now)
    return fresh


def _from_cookie(url: str) -> auth.User | None:
    """The user of the HttpOnly session cookie (a reload, a new tab, a network drop), while it has been used within the
    idle timeout and the account is active; the session is then this Streamlit session's."""
    token = (st.context.cookies or {}).get(session_store.COOKIE)
    if not token:
        return None
    with db.writing(data.get_engine(url), bump=False) as conn:  # sign-in bookkeeping only
        found = session_store.resume(conn, token, idle=idle_timeout())
        user = auth.load_account(conn, found[1]) if found else None
        if found and user is None:
            session_store.end(conn, found[0])
    if user is None:
        return None
    st.session_state[SESSION_USER] = user
    st.session_state[SESSION_WEB], st.session_state[SESSION_TOUCHED] = found[0], dt.datetime.now()
    return user


def _keep_cookie_session_alive(url: str, now: dt.datetime) -> None:
    """The cookie session's last use, written at most every TOUCH_SECONDS, so a reload after a long busy stretch still
    finds it within the idle timeout."""
    session_id = st.session_state.get(SESSION_WEB)
    touched = st.session_state.get(SESSION_TOUCHED)
    if session_id is None or touched is not None and (now - touched).total_seconds() < session_store.TOUCH_SECONDS:
        return
    with db.writing(data.get_engine(url), bump=False) as conn:
        session_store.touch(conn, session_id, now=now)
    st.session_state[SESSION_TOUCHED] = now


def hand_over_session() -> None:
    """Right after a password sign-in: the browser exchanges the one-time ticket for the HttpOnly cookie (POST
    /session/redeem, served by server.py). Under plain `streamlit run app.py` the route is absent and the sign-in
    simply lasts as long as the Streamlit session."""
    ticket = st.session_state.pop(SESSION_TICKET, None)
    if ticket:
        body = json.dumps({"ticket": ticket})
        _in_browser(f"fetch('/session/redeem', {{method: 'POST', credentials: 'same-origin', "
                    f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});")


def _in_browser(script: str) -> None:
    """Run `script` in the page, taking no room: the element that carries it is hidden, so nothing moves (the big
    screen must still fit 1366×768 on the run after a sign-in)."""
    st.html("<style>[data-testid='stElementContainer']:has(> [data-testid='stHtml'] script) {display: none;}</style>"
            f"<script>{script}</script>", unsafe_allow_javascript=True)


def display_of(url: str) -> display_store.Display | None:
    """The display the URL's token grants (checked in the database on every run: a revoked link stops at once)."""
    with data.get_engine(url).connect() as conn:
        return display_store.resolve(conn, st.query_params.get("token"))


def current_display() -> display_store.Display | None:
    """The display link this run's `current_user` resolved (no second query)."""
    return st.session_state.get(SESSION_DISPLAY)


def display_user(url: str) -> auth.User | None:
    """The pseudo-user of a display link: role "display" (the big screen only), no institution; None when the
    token is unknown or revoked (the sign-in page then says so)."""
    shown = display_of(url)
    st.session_state[SESSION_DISPLAY] = shown  # the shell reads the link's park from here, in the same run
    if shown is None:
        st.session_state[SESSION_NOTICE] = "display_revoked"
        return None
    return auth.User(id=-shown.token_id, username=f"display-{shown.token_id}", display_name=shown.name, role="display",
                     institution_id=None, is_demo=False)


@st.cache_data(ttl=5, show_spinner=False, max_entries=256)
def _account(url: str, user_id: int) -> auth.User | None:
    """The account as stored now (None when deactivated or gone); re-read at most every 5 s per user."""
    with data.get_engine(url).connect() as conn:
        return auth.load_account(conn, user_id)


def _still_valid(url: str, user: auth.User) -> auth.User | None:
    """The session's account re-read on every run: deactivated or removed ends the session, a new role applies."""
    fresh = _account(url, user.id)
    if fresh is None:
        sign_out(notice="account_changed")
        return None
    if fresh.is_demo and not _demo_only(url):
        sign_out(notice="demo_over")
        return None
    return fresh


@st.cache_data(ttl=5, show_spinner=False, max_entries=8)
def _demo_only(url: str) -> bool:
    """Whether the database still holds demo data only (`auth.only_demo_data`); re-read at most every 5 s."""
    with data.get_engine(url).connect() as conn:
        return auth.only_demo_data(conn)


def screen_session_valid(url: str) -> bool:
    """For the big screen's self-refreshing fragment, which runs without user interaction: the session ends
    when the account was deactivated or when no one has interacted for the idle timeout (a screen that must
    stay on uses a display link; the fragment does not extend the session)."""
    if st.query_params.get("token"):
        return display_of(url) is not None  # a display link stays on until revoked; no idle timeout
    user = st.session_state.get(SESSION_USER)
    last = st.session_state.get(SESSION_SEEN)
    if user is None:
        return False
    if last is not None and dt.datetime.now() - last > idle_timeout():
        sign_out(notice="expired")
        return False
    return _still_valid(url, user) is not None


@st.cache_resource(show_spinner=False)
def _limiter() -> auth.ClientLimiter:
    """Failed sign-ins per client, shared by every session of this server process."""
    return auth.ClientLimiter()


def client_address() -> str:
    """The client's address: the first X-Forwarded-For (or X-Real-Ip) hop set by the reverse proxy, else the socket's."""
    headers = st.context.headers or {}
    forwarded = (headers.get("X-Forwarded-For") or "").split(",")[0].strip() or (headers.get("X-Real-Ip") or "").strip()
    return forwarded or (getattr(st.context, "ip_address", None) or "unknown")


def sign_out(notice: str | None = None) -> None:
    session_id = st.session_state.get(SESSION_WEB)
    if session_id is not None:  # the cookie, wherever it still is, signs no one in any more
        with db.writing(data.get_engine(data.current_url()), bump=False) as conn:
            session_store.end(conn, session_id)
    for key in (SESSION_USER, SESSION_SEEN, SESSION_WEB, SESSION_TICKET, SESSION_TOUCHED):
        st.session_state.pop(key, None)
    if notice:
        st.session_state[SESSION_NOTICE] = notice


def _start_session(conn, user: auth.User) -> None:
    """In the sign-in's own transaction: the cookie session and its one-time ticket, handed over on the next run."""
    session_id, ticket = session_store.issue_ticket(conn, user.id)
    st.session_state[SESSION_WEB], st.session_state[SESSION_TICKET] = session_id, ticket
    st.session_state[SESSION_TOUCHED] = dt.datetime.now()


def _signed_in(user: auth.User) -> None:
    st.session_state[SESSION_USER] = user
    st.session_state[SESSION_SEEN] = dt.datetime.now()
    st.session_state.pop(SESSION_NOTICE, None)
    st.rerun()


def render_sign_in(url: str) -> None:
    """The sign-in screen: the password form, demo accounts (demo data only) or the OIDC button; with real data
    and no admin yet, only the instruction to create one on the server."""
    lang = st.session_state.get("app_lang", "zh")
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    st.title(t("auth.title"))
    notice = st.session_state.get(SESSION_NOTICE)
    if notice:
        st.warning(t(f"auth.notice.{notice}"))
    if notice == "signed_out":  # the browser drops the session cookie too (its session has already ended)
        _in_browser("fetch('/session/end', {method: 'POST', credentials: 'same-origin'});")
    engine = data.get_engine(url)
    password = settings.setting("ADMIN_PASSWORD")
    if password:  # an admin from ADMIN_PASSWORD, once; no page shows it from a cache
        with db.writing(engine, bump=False) as conn:
            auth.bootstrap_admin(conn, password)
    # Read only: the sign-in page never waits for another writer (the first start's risk rules, an import).
    with engine.connect() as conn:
        setup = auth.needs_admin_setup(conn)
        demo_only = auth.only_demo_data(conn)
        demo_users = auth.demo_accounts(conn) if demo_only else []
    if setup:  # the first admin is made on the server only (cli create-admin or ADMIN_PASSWORD), never here
        st.error(t("auth.setup_intro"))
        return
    if oidc_enabled():
        if st.button(t("auth.oidc_button"), key="auth_oidc", type="primary"):
            st.login()
    with st.form("auth_form"):
        username = st.text_input(t("auth.username"), key="auth_username")
        password = st.text_input(t("auth.password"), type="password", key="auth_password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        client, limiter = client_address(), _limiter()
        if not limiter.allowed(client):
            st.error(t("auth.outcome.too_many"))
        else:
            with db.writing(engine, bump=False) as conn:  # failure counters and last sign-in
                result = auth.authenticate(conn, username.strip(), password)
                if result.user:
                    _start_session(conn, result.user)
            if result.user:
                _signed_in(result.user)
            limiter.failed(client)
            # One message for an unknown user, a wrong password and an account backing off: none tells which.
            st.error(t("auth.outcome.inactive" if result.outcome == "inactive" else "auth.outcome.invalid"))
    if demo_users:
        st.divider()
        st.markdown(f"**{t('auth.demo_heading')}**")
        st.caption(t("auth.demo_note"))
        cols = st.columns(3)
        for i, u in enumerate(demo_users):
            with cols[i % 3]:
                if st.button(u.display_name, key=f"auth_demo_{u.username}",
                             use_container_width=True):
                    with db.writing(engine, bump=False) as conn:
                        user = auth.sign_in_demo(conn, u.username)
                        _start_session(conn, user)
                    _signed_in(user)
